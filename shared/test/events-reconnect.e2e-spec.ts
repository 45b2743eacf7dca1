import type { DataSource } from 'typeorm';
import { AmqpConnectionService } from '../src/events/amqp-connection.service';
import { silentBusLogger } from '../src/events/bus-logger.factory';
import { EventConsumerService } from '../src/events/consumer/event-consumer.service';
import { EventBusError } from '../src/events/event-bus.errors';
import { EventPublisherService } from '../src/events/event-publisher.service';
import { createEventTablesMigration } from '../src/events/outbox/event-tables.migration';
import { OutboxRelayService } from '../src/events/outbox/outbox-relay.service';
import { OutboxService } from '../src/events/outbox/outbox.service';
import { createTestVhost, TestVhost } from '../src/events/testing/test-vhost.fixture';
import { consumerTopology } from '../src/events/topology.model';
import { FaultProxy, startFaultProxy } from '../src/testing/fault-proxy.fixture';
import { createTestDatabase, TestDatabase } from '../src/testing/test-database.fixture';
import {
  CreateTestEffects1700000000001,
  effectsOf,
  eventually,
  orderPlaced,
  rawBroker,
  RecordingHandler,
  recordingLogger,
  runtimeDataSource,
} from './events.fixture';

describe('broker connection loss', () => {
  const logger = recordingLogger();
  let vhost: TestVhost;
  let database: TestDatabase;
  let proxy: FaultProxy;
  let db: DataSource;
  let connection: AmqpConnectionService;
  let consumer: EventConsumerService;
  let publisher: EventPublisherService;
  let relay: OutboxRelayService;

  beforeAll(async () => {
    [vhost, database, proxy] = await Promise.all([
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
      startFaultProxy({ target: { host: '127.0.0.1', port: 5672 } }),
    ]);
    db = await runtimeDataSource(database.runtimeUrl('inventory'), 'inventory');

    // One service process: its consumer, publisher and relay share a connection that runs through the proxy.
    const url = new URL(vhost.url);
    url.port = String(proxy.port);
    connection = new AmqpConnectionService({
      url: url.toString(),
      name: 'inventory-test',
      reconnectDelay: { initialMs: 50, maxMs: 400 },
      logger,
    });
    consumer = new EventConsumerService(connection, db, {
      topology: consumerTopology({
        service: 'inventory',
        eventTypes: ['order.placed', 'inventory.reserved'],
        retryDelaysMs: [100],
        deliveryLimit: 5,
      }),
      schema: 'inventory',
      handlers: { 'order.placed': new RecordingHandler(), 'inventory.reserved': new RecordingHandler() },
      logger: silentBusLogger,
    });
    consumer.attach();
    publisher = new EventPublisherService(connection, { confirmTimeoutMs: 2_000 });
    relay = new OutboxRelayService(db, publisher, connection, {
      schema: 'inventory',
      pollIntervalMs: 60_000,
      logger: silentBusLogger,
    });
    connection.start();
    relay.start();
    await connection.waitUntilConnected();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await connection?.close();
    await proxy?.close();
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('reconnects after the connection is cut, then publishes and consumes again', async () => {
    const before = orderPlaced();
    await publisher.publish(before);
    await eventually(async () => (await effectsOf(db, before.id)) === 1);

    proxy.cutAll();
    await eventually(() => !connection.isConnected());
    await connection.waitUntilConnected(5_000);

    const after = orderPlaced();
    await publisher.publish(after);
    await eventually(async () => (await effectsOf(db, after.id)) === 1);
    expect(logger.lines).toContainEqual(expect.stringMatching(/^Lost the RabbitMQ connection/));
  });

  it('starts over when the broker cancels its consumer (queue deleted), redeclaring the queue', async () => {
    const broker = await rawBroker(vhost.url);
    await broker.channel.deleteQueue('inventory.events');
    await broker.close();

    await eventually(() => logger.lines.some((line) => line.includes('cancelled the consumer')));
    await connection.waitUntilConnected(5_000);
    const after = orderPlaced();
    await eventually(() =>
      publisher.publish(after).then(
        () => true,
        () => false,
      ),
    );
    await eventually(async () => (await effectsOf(db, after.id)) === 1);
  });

  it('fails a publish fast while the broker is unreachable, and keeps outbox events until it is back', async () => {
    proxy.pause();
    proxy.cutAll();
    await eventually(() => !connection.isConnected());

    const error = await publisher.publish(orderPlaced()).catch((caught: unknown) => caught);
    expect((error as EventBusError).code).toBe('BUS.NOT_CONNECTED');
    expect(connection.describeFailure()).toMatch(/^not connected/);

    // Written while the broker is away: the relay leaves it alone, without burning attempts.
    const outbox = new OutboxService({ service: 'inventory' });
    const { aggregateId, data } = orderPlaced();
    const event = await db.transaction((tx) =>
      outbox.add(tx, {
        type: 'inventory.reserved',
        aggregateId,
        aggregateVersion: 1,
        data: {
          orderId: aggregateId,
          lines: data.lines.map(({ itemId, quantity }) => ({ itemId, quantity })),
        },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [waiting] = await db.query(`SELECT published_at, attempts FROM inventory.outbox WHERE id = $1`, [
      event.id,
    ]);
    expect(waiting).toEqual({ published_at: null, attempts: 0 });

    proxy.resume();
    await connection.waitUntilConnected(5_000);
    await eventually(async () => (await effectsOf(db, event.id)) === 1);
  });
});
