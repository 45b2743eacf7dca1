import type { Message } from 'amqplib';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AmqpConnectionService } from '../src/events/amqp-connection.service';
import { silentBusLogger } from '../src/events/bus-logger.factory';
import { EventConsumerService } from '../src/events/consumer/event-consumer.service';
import { EventBusMetrics } from '../src/events/event-bus.metrics';
import { EventPublisherService } from '../src/events/event-publisher.service';
import { createEventTablesMigration } from '../src/events/outbox/event-tables.migration';
import { createTestVhost, TestVhost } from '../src/events/testing/test-vhost.fixture';
import { consumerTopology, DEFAULT_EXCHANGE } from '../src/events/topology.model';
import { createTestDatabase, TestDatabase } from '../src/testing/test-database.fixture';
import {
  countOf,
  CreateTestEffects1700000000001,
  effectsOf,
  eventually,
  orderPlaced,
  rawBroker,
  RawBroker,
  RecordingHandler,
  recordingLogger,
  runtimeDataSource,
} from './events.fixture';

const RETRY_DELAYS_MS = [300, 600];

describe('event consumer', () => {
  const poisonOrders = new Set<string>();
  const orders = new RecordingHandler((event) => poisonOrders.has(event.aggregateId));
  const topology = consumerTopology({
    service: 'inventory',
    eventTypes: ['order.placed'],
    retryDelaysMs: RETRY_DELAYS_MS,
    deliveryLimit: 5,
  });
  const logger = recordingLogger();
  const metrics = new EventBusMetrics(new Registry());
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let connection: AmqpConnectionService;
  let consumer: EventConsumerService;
  let publisher: EventPublisherService;
  let broker: RawBroker;

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
    db = await runtimeDataSource(database.runtimeUrl('inventory'), 'inventory');
    connection = new AmqpConnectionService({
      url: vhost.url,
      name: 'inventory-test',
      logger: silentBusLogger,
    });
    consumer = new EventConsumerService(connection, db, {
      topology,
      schema: 'inventory',
      handlers: { 'order.placed': orders },
      metrics,
      logger,
    });
    consumer.attach();
    connection.start();
    await connection.waitUntilConnected();
    publisher = new EventPublisherService(connection, {});
    broker = await rawBroker(vhost.url);
  });

  afterAll(async () => {
    await consumer?.stop();
    await connection?.close();
    await broker?.close();
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('handles an event in one transaction with its inbox record', async () => {
    const event = orderPlaced();
    await publisher.publish(event);

    await eventually(async () => (await effectsOf(db, event.id)) === 1);
    const inbox = await db.query(`SELECT consumer FROM inventory.inbox WHERE event_id = $1`, [event.id]);
    expect(inbox).toEqual([{ consumer: 'inventory.events' }]);
  });

  it('applies an event delivered twice only once', async () => {
    const event = orderPlaced();
    const duplicatesBefore = await countOf(metrics.consumed, { type: 'order.placed', outcome: 'duplicate' });

    await publisher.publish(event);
    await publisher.publish(event);

    await eventually(
      async () =>
        (await countOf(metrics.consumed, { type: 'order.placed', outcome: 'duplicate' })) ===
        duplicatesBefore + 1,
    );
    expect(orders.calls.filter((call) => call.id === event.id)).toHaveLength(1);
    expect(await effectsOf(db, event.id)).toBe(1);
  });

  it('retries a failing handler after each delay, counting attempts from x-death, then dead-letters it while other events flow', async () => {
    const poison = orderPlaced();
    poisonOrders.add(poison.aggregateId);
    const healthy = Array.from({ length: 5 }, () => orderPlaced());

    await publisher.publish(poison);
    for (const event of healthy) await publisher.publish(event);

    // The healthy events are not held up behind the failing one.
    await eventually(async () =>
      (await Promise.all(healthy.map((e) => effectsOf(db, e.id)))).every((n) => n === 1),
    );

    const [dead] = await eventually(async () => {
      const messages = await broker.drain(topology.deadLetterQueue);
      return messages.length > 0 && messages;
    }, 10_000);
    expect(dead.properties.messageId).toBe(poison.id);
    expect(dead.properties.headers?.['x-death']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ queue: 'inventory.events', reason: 'rejected' }),
        expect.objectContaining({ queue: 'inventory.events.retry.2', reason: 'expired' }),
      ]),
    );

    const deliveries = orders.calls.filter((call) => call.id === poison.id).map((call) => call.at);
    expect(deliveries).toHaveLength(1 + RETRY_DELAYS_MS.length);
    const healthyIds = new Set(healthy.map((event) => event.id));
    const lastHealthy = Math.max(
      ...orders.calls.filter((call) => healthyIds.has(call.id)).map((call) => call.at),
    );
    expect(lastHealthy).toBeLessThan(deliveries[deliveries.length - 1]);
    expect(deliveries[1] - deliveries[0]).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[0]);
    expect(deliveries[2] - deliveries[1]).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[1]);
    const poisonLines = logger.lines.filter((line) => line.includes(poison.id));
    expect(poisonLines).toEqual([
      expect.stringMatching(/^retried order\.placed .*attempt 1 failed.*retrying in 300 ms/),
      expect.stringMatching(/^retried order\.placed .*attempt 2 failed.*retrying in 600 ms/),
      expect.stringMatching(/^dead-lettered order\.placed .*attempt 3 failed/),
    ]);
    // Every failed attempt rolled back what the handler wrote.
    expect(await effectsOf(db, poison.id)).toBe(0);
  });

  it('sends a message that is not a valid event straight to the dead-letter queue, without retrying', async () => {
    const invalid = orderPlaced();
    const { lines, ...data } = invalid.data;
    const body = Buffer.from(JSON.stringify({ ...invalid, data: { ...data, lines: lines.slice(0, 0) } }));
    const handledBefore = orders.calls.length;

    broker.channel.publish(DEFAULT_EXCHANGE, 'order.placed', body, {
      messageId: invalid.id,
      type: 'order.placed',
    });
    broker.channel.publish(DEFAULT_EXCHANGE, 'order.placed', Buffer.from('{not json'), {
      messageId: 'garbage',
    });

    const dead: Message[] = [];
    await eventually(async () => dead.push(...(await broker.drain(topology.deadLetterQueue))) === 2);
    expect(dead.map((message) => message.properties.messageId).sort()).toEqual(
      ['garbage', invalid.id].sort(),
    );
    for (const message of dead) {
      expect(message.properties.headers?.['x-death']).toEqual([
        expect.objectContaining({ queue: 'inventory.events', reason: 'rejected', count: 1 }),
      ]);
    }
    expect(orders.calls.length).toBe(handledBefore);
    expect(await countOf(metrics.consumed, { type: 'unknown', outcome: 'dead-lettered' })).toBe(1);
  });
});
