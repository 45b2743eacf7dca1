import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventHandler, EventType, ShopEvent } from '@shop/shared';
import {
  createServiceApp,
  createTestDatabase,
  createTestVhost,
  serviceOptions,
  startTestTokenIssuer,
  TestDatabase,
  TestTokenIssuer,
  TestVhost,
} from '@shop/shared/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { loadInventoryConfig } from '../../src/inventory.config';
import { migrations } from '../../src/migrations';
import { OrderCancelledHandler } from '../../src/reservations/order-cancelled.handler';
import { OrderPlacedHandler } from '../../src/reservations/order-placed.handler';
import { AdjustStockHandler } from '../../src/stock/adjust-stock.handler';
import { ItemCreatedHandler } from '../../src/stock/item-created.handler';
import { ItemDeletedHandler } from '../../src/stock/item-deleted.handler';
import type { StockLevels } from '../../src/stock/stock-levels.model';
import { itemCreated } from './events.fixture';

const HANDLERS = {
  'item.created': ItemCreatedHandler,
  'item.deleted': ItemDeletedHandler,
  'order.placed': OrderPlacedHandler,
  'order.cancelled': OrderCancelledHandler,
} as const;

export interface EmittedEvent {
  type: string;
  correlationId: string;
  aggregateId: string;
  aggregateVersion: number;
  data: Record<string, unknown>;
}

export interface InventoryApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  tokens: TestTokenIssuer;
  /** A RabbitMQ virtual host of this app's own, when started with `{ broker: true }`. */
  vhost?: TestVhost;
  /** The service's own DataSource, connected as `inventory_svc`. */
  dataSource: DataSource;
  /** Superuser connection to the test database, for looking behind the service's back. */
  admin: Client;
  /** Runs an event's handler in its own transaction, as the bus does. */
  handle<T extends keyof typeof HANDLERS>(event: ShopEvent<T>): Promise<void>;
  /** Events the service has written to its outbox (published or not), oldest first. */
  emitted(type?: EventType): Promise<EmittedEvent[]>;
  /** Adjusts stock as a person would through the API (resolves to the new levels, or rejects). */
  adjust(itemId: string, delta: number): Promise<StockLevels>;
  /** A new item (`itemId`, or a random one) with `available` units in stock. */
  stockedItem(available: number, itemId?: string): Promise<string>;
  levels(itemId: string): Promise<{ available: number; reserved: number } | undefined>;
  close(): Promise<void>;
}

/**
 * The inventory service on its own throw-away database (as `inventory_svc`),
 * with tokens from a stand-in users service. Without `broker: true` its
 * broker is unreachable: the outbox keeps every event, which is what tests
 * that hand events to the handlers read, and no vhost costs seconds to make.
 */
export async function startInventoryApp(
  env: Record<string, string> = {},
  options: { broker?: boolean } = {},
): Promise<InventoryApp> {
  const [db, tokens, vhost] = await Promise.all([
    createTestDatabase({ services: [{ schema: 'inventory', migrations }] }),
    startTestTokenIssuer(),
    options.broker ? createTestVhost() : undefined,
  ]);
  const config = loadInventoryConfig({
    DATABASE_URL: db.runtimeUrl('inventory'),
    LOG_LEVEL: 'silent',
    USERS_URL: tokens.usersUrl,
    JWT_ISSUER: tokens.issuer,
    JWT_AUDIENCE: tokens.audience,
    RABBITMQ_URL: vhost?.url ?? 'amqp://127.0.0.1:1',
    ...env,
  });
  const app = await createServiceApp(AppModule.forRoot(config), serviceOptions('inventory', config));
  const dataSource = app.get(DataSource);
  const admin = new Client({ connectionString: db.adminUrl });
  await admin.connect();

  const handle = async <T extends keyof typeof HANDLERS>(event: ShopEvent<T>) => {
    const handler = app.get(HANDLERS[event.type]) as unknown as EventHandler<T>;
    await dataSource.transaction(async (tx) => {
      // The bus records the event in its inbox in the same transaction.
      await tx.query(`INSERT INTO inventory.inbox (event_id, consumer) VALUES ($1, 'inventory.events')`, [
        event.id,
      ]);
      await handler.handle(event, tx);
    });
  };
  const adjust = (itemId: string, delta: number) =>
    app.get(AdjustStockHandler).execute({
      itemId,
      delta,
      reason: 'test',
      adjustedBy: randomUUID(),
      requestId: `test-${randomUUID()}`,
    });
  const levels = async (itemId: string) =>
    (await admin.query('SELECT available, reserved FROM inventory.stock WHERE item_id = $1', [itemId]))
      .rows[0];

  return {
    app,
    db,
    tokens,
    vhost,
    dataSource,
    admin,
    handle,
    emitted: async (type) => {
      const { rows } = await admin.query(
        `SELECT payload FROM inventory.outbox WHERE $1::text IS NULL OR type = $1 ORDER BY created_at`,
        [type ?? null],
      );
      return rows.map(({ payload }) => payload);
    },
    stockedItem: async (available, itemId = randomUUID()) => {
      await handle(itemCreated(itemId));
      if (available > 0) await adjust(itemId, available);
      return itemId;
    },
    adjust,
    levels,
    close: async () => {
      await app.close();
      await admin.end();
      await Promise.all([db.drop(), tokens.close(), vhost?.delete()]);
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
