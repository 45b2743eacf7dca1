import { Controller, HttpCode, Inject, Injectable, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { createServiceApp } from '../src/bootstrap/service-app.factory';
import { DatabaseModule } from '../src/database/database.module';
import { ShopEvent } from '../src/events/contracts';
import { defineSubscriptions, EventHandler } from '../src/events/consumer/event.handler';
import { EventBusModule } from '../src/events/event-bus.module';
import { createEventTablesMigration } from '../src/events/outbox/event-tables.migration';
import { OutboxService } from '../src/events/outbox/outbox.service';
import { createTestVhost, TestVhost } from '../src/events/testing/test-vhost.fixture';
import { createTestDatabase, TestDatabase } from '../src/testing/test-database.fixture';
import { CreateTestEffects1700000000001, eventually } from './events.fixture';

/** Like a real handler: records its effect and writes a follow-up event in the same transaction. */
@Injectable()
class StockReservedHandler implements EventHandler<'inventory.reserved'> {
  constructor(@Inject(OutboxService) private readonly outbox: OutboxService) {}

  async handle(event: ShopEvent<'inventory.reserved'>, tx: EntityManager): Promise<void> {
    await tx.query(`INSERT INTO inventory.effects (event_id, type) VALUES ($1, $2)`, [event.id, event.type]);
    const { itemId } = event.data.lines[0];
    await this.outbox.add(tx, {
      type: 'inventory.low_stock',
      aggregateId: itemId,
      aggregateVersion: 1,
      data: { itemId, available: 1, threshold: 5 },
    });
  }
}

@Controller('reservations')
class ReservationsController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
  ) {}

  @Post()
  @HttpCode(202)
  async reserve() {
    const orderId = randomUUID();
    return this.db.transaction((tx) =>
      this.outbox.add(tx, {
        type: 'inventory.reserved',
        aggregateId: orderId,
        aggregateVersion: 1,
        data: { orderId, lines: [{ itemId: randomUUID(), quantity: 1 }] },
      }),
    );
  }
}

const subscriptions = defineSubscriptions({ 'inventory.reserved': StockReservedHandler });

describe('EventBusModule', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    [vhost, database] = await Promise.all([
      createTestVhost(),
      createTestDatabase({
        services: [
          {
            schema: 'inventory',
            migrations: [
              createEventTablesMigration('inventory', 1700000000000),
              CreateTestEffects1700000000001,
            ],
          },
        ],
      }),
    ]);

    @Module({
      imports: [
        DatabaseModule.forRoot({ url: database.runtimeUrl('inventory'), schema: 'inventory', entities: [] }),
        EventBusModule.forRoot({
          url: vhost.url,
          service: 'inventory',
          subscriptions,
          retryDelaysMs: [100],
          relay: { pollIntervalMs: 60_000 },
        }),
      ],
      controllers: [ReservationsController],
      providers: [StockReservedHandler],
    })
    class InventoryTestModule {}

    // Its request hooks make the request id the correlation id of the events the request writes.
    app = await createServiceApp(InventoryTestModule, { name: 'inventory', port: 0, logLevel: 'silent' });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('carries an event from a request through the outbox, the relay and the subscribed handler', async () => {
    const db = app.get(DataSource);
    const response = await app.inject({
      method: 'POST',
      url: '/reservations',
      headers: { 'x-request-id': 'req-42' },
    });
    expect(response.statusCode).toBe(202);
    const reserved = response.json() as ShopEvent<'inventory.reserved'>;
    expect(reserved.correlationId).toBe('req-42');

    await eventually(
      async () =>
        (await db.query(`SELECT 1 FROM inventory.effects WHERE event_id = $1`, [reserved.id])).length,
    );

    // The handler's own event inherits the correlation id of the event it handled.
    const followUps = await db.query(
      `SELECT payload->>'correlationId' AS "correlationId" FROM inventory.outbox WHERE type = 'inventory.low_stock'`,
    );
    expect(followUps).toEqual([{ correlationId: 'req-42' }]);
  });

  it('reports the broker in readiness and the bus in /metrics', async () => {
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json().checks.broker).toEqual({ status: 'up', critical: false });

    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(
      /events_consumed_total\{type="inventory.reserved",outcome="ok",service="inventory"\} 1/,
    );
    expect(metrics.body).toMatch(
      /events_published_total\{type="inventory.reserved",outcome="ok",service="inventory"\} 1/,
    );
    expect(metrics.body).toMatch(/^outbox_backlog\{service="inventory"\} \d+$/m);
  });
});
