import type { ConsumeMessage } from 'amqplib';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AmqpConnectionService } from '../src/events/amqp-connection.service';
import { silentBusLogger } from '../src/events/bus-logger.factory';
import { InvalidEventError } from '../src/events/contracts';
import { EventConsumerService } from '../src/events/consumer/event-consumer.service';
import { EventBusMetrics } from '../src/events/event-bus.metrics';
import { EventPublisherService } from '../src/events/event-publisher.service';
import { createEventTablesMigration } from '../src/events/outbox/event-tables.migration';
import { OutboxRelayService } from '../src/events/outbox/outbox-relay.service';
import { OutboxRepository } from '../src/events/outbox/outbox.repository';
import { NewEvent, outboxChannel, OutboxService } from '../src/events/outbox/outbox.service';
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
  runtimeDataSource,
} from './events.fixture';

const NEVER_POLL_MS = 60_000;

function newOrderPlaced(): NewEvent<'order.placed'> {
  const { aggregateId, aggregateVersion, data } = orderPlaced();
  return { type: 'order.placed', aggregateId, aggregateVersion, data };
}

describe('outbox and relay', () => {
  const outbox = new OutboxService({ service: 'orders' });
  const handler = new RecordingHandler();
  const consumerMetrics = new EventBusMetrics(new Registry());
  let vhost: TestVhost;
  let database: TestDatabase;
  let ordersDb: DataSource;
  let inventoryDb: DataSource;
  let broker: RawBroker;
  const closers: (() => Promise<unknown>)[] = [];

  /** A relay as one replica of orders runs it: its own broker connection and publisher. */
  async function startRelay(options: { leaseMs?: number; batchSize?: number; pollIntervalMs?: number } = {}) {
    const connection = new AmqpConnectionService({
      url: vhost.url,
      name: 'orders-relay',
      logger: silentBusLogger,
    });
    connection.start();
    await connection.waitUntilConnected();
    const metrics = new EventBusMetrics(new Registry());
    const publisher = new EventPublisherService(connection, { metrics });
    const relay = new OutboxRelayService(ordersDb, publisher, connection, {
      schema: 'orders',
      pollIntervalMs: NEVER_POLL_MS,
      retryDelay: { initialMs: 100, maxMs: 500 },
      logger: silentBusLogger,
      ...options,
    });
    closers.push(
      () => relay.stop(),
      () => connection.close(),
    );
    relay.start();
    const published = () => countOf(metrics.published, { type: 'order.placed', outcome: 'ok' });
    return Object.assign(relay, { published });
  }

  // One transaction; its statements run one after another, as on any single connection.
  const commit = (events: NewEvent[]) =>
    ordersDb.transaction(async (tx) => {
      const written = [];
      for (const event of events) written.push(await outbox.add(tx, event));
      return written;
    });

  beforeAll(async () => {
    [vhost, database] = await Promise.all([
      createTestVhost(),
      createTestDatabase({
        services: [
          { schema: 'orders', migrations: [createEventTablesMigration('orders', 1700000000000)] },
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
    ordersDb = await runtimeDataSource(database.runtimeUrl('orders'), 'orders');
    inventoryDb = await runtimeDataSource(database.runtimeUrl('inventory'), 'inventory');
    broker = await rawBroker(vhost.url);

    const connection = new AmqpConnectionService({
      url: vhost.url,
      name: 'inventory-test',
      logger: silentBusLogger,
    });
    const consumer = new EventConsumerService(connection, inventoryDb, {
      topology: consumerTopology({
        service: 'inventory',
        eventTypes: ['order.placed'],
        retryDelaysMs: [100],
        deliveryLimit: 5,
      }),
      schema: 'inventory',
      handlers: { 'order.placed': handler },
      metrics: consumerMetrics,
      logger: silentBusLogger,
    });
    consumer.attach();
    connection.start();
    await connection.waitUntilConnected();
    closers.push(
      () => consumer.stop(),
      () => connection.close(),
    );
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await broker?.close();
    await ordersDb?.destroy();
    await inventoryDb?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  afterEach(() => jest.restoreAllMocks());

  it('refuses to write an event outside a transaction or for another service', async () => {
    await expect(outbox.add(ordersDb.manager, newOrderPlaced())).rejects.toThrow(
      'needs the EntityManager of a transaction',
    );
    const itemEvent = {
      ...newOrderPlaced(),
      type: 'item.deleted',
      data: { itemId: newOrderPlaced().aggregateId },
    };
    await expect(ordersDb.transaction((tx) => outbox.add(tx, itemEvent as never))).rejects.toBeInstanceOf(
      InvalidEventError,
    );
  });

  it('publishes an event as soon as its transaction commits, woken by NOTIFY long before the next poll', async () => {
    const relay = await startRelay();
    await eventually(async () => (await new OutboxRepository(ordersDb, 'orders').backlog()).count === 0);

    const committedAt = Date.now();
    const [event] = await commit([newOrderPlaced()]);

    await eventually(async () => (await effectsOf(inventoryDb, event.id)) === 1, 3_000, 10);
    const latencyMs = Date.now() - committedAt;
    expect(latencyMs).toBeLessThan(1_000); // the poll would take 60 s
    console.info(`commit to handled through NOTIFY: ${latencyMs} ms`);
    const [row] = await ordersDb.query(`SELECT published_at, attempts FROM orders.outbox WHERE id = $1`, [
      event.id,
    ]);
    expect(row.published_at).not.toBeNull();
    expect(row.attempts).toBe(1);
    await relay.stop();
  });

  it('never publishes an event whose transaction rolled back', async () => {
    const relay = await startRelay();
    const received = await broker.tap(DEFAULT_EXCHANGE, ['order.placed']);
    let written: string | undefined;

    await expect(
      ordersDb.transaction(async (tx) => {
        written = (await outbox.add(tx, newOrderPlaced())).id;
        throw new Error('the order could not be saved');
      }),
    ).rejects.toThrow('could not be saved');
    const [marker] = await commit([newOrderPlaced()]);

    await eventually(() => received.some((message) => message.properties.messageId === marker.id));
    expect(received.map((message) => message.properties.messageId)).not.toContain(written);
    await relay.stop();
  });

  it('sends an event again when its relay died between publishing and marking it, and the consumer applies it once', async () => {
    // The first mark fails as if the process had died right after the broker's confirm.
    const markPublished = jest
      .spyOn(OutboxRepository.prototype, 'markPublished')
      .mockRejectedValueOnce(new Error('killed before marking the row published'));
    const relay = await startRelay({ leaseMs: 300 });
    const duplicatesBefore = await countOf(consumerMetrics.consumed, {
      type: 'order.placed',
      outcome: 'duplicate',
    });

    const [event] = await commit([newOrderPlaced()]);
    await eventually(() => markPublished.mock.calls.length === 1);
    await relay.stop(); // the crashed relay; another replica picks the row up once its lease expires
    const successor = await startRelay({ leaseMs: 300, pollIntervalMs: 100 });

    await eventually(async () => {
      const [row] = await ordersDb.query(`SELECT published_at FROM orders.outbox WHERE id = $1`, [event.id]);
      return row.published_at !== null;
    }, 5_000);
    await eventually(
      async () =>
        (await countOf(consumerMetrics.consumed, { type: 'order.placed', outcome: 'duplicate' })) ===
        duplicatesBefore + 1,
    );
    const [row] = await ordersDb.query(`SELECT attempts FROM orders.outbox WHERE id = $1`, [event.id]);
    expect(row.attempts).toBe(2);
    expect(handler.calls.filter((call) => call.id === event.id)).toHaveLength(1);
    expect(await effectsOf(inventoryDb, event.id)).toBe(1);
    await successor.stop();
  });

  it('keeps an event no queue is bound for, with its error, and tries it again later', async () => {
    const relay = await startRelay();
    const { aggregateId, data } = orderPlaced();
    const event = await ordersDb.transaction((tx) =>
      outbox.add(tx, {
        type: 'order.confirmed',
        aggregateId,
        aggregateVersion: 2,
        data: { orderId: aggregateId, userId: data.userId, status: 'CONFIRMED' },
      }),
    );

    const row = await eventually(async () => {
      const [found] = await ordersDb.query(
        `SELECT published_at, attempts, last_error, claimed_until > now() AS held_back FROM orders.outbox WHERE id = $1`,
        [event.id],
      );
      return found.last_error && found;
    });
    expect(row).toEqual({
      published_at: null,
      attempts: 1,
      last_error: 'no queue is bound for order.confirmed on shop.events',
      held_back: true,
    });
    await relay.stop();
    await ordersDb.query(`DELETE FROM orders.outbox WHERE id = $1`, [event.id]);
  });

  it('never skips a row when two relays race for the same outbox (200 events)', async () => {
    const received: ConsumeMessage[] = await broker.tap(DEFAULT_EXCHANGE, ['order.placed']);
    const relays = await Promise.all([startRelay({ batchSize: 20 }), startRelay({ batchSize: 20 })]);

    // Both relays are woken by every commit and claim from the same rows.
    const events = [];
    for (let batch = 0; batch < 20; batch++) {
      events.push(...(await commit(Array.from({ length: 10 }, newOrderPlaced))));
    }

    const ids = new Set(events.map((event) => event.id));
    await eventually(() => {
      const arrived = new Set(received.map((message) => message.properties.messageId));
      return [...ids].every((id) => arrived.has(id));
    }, 10_000);
    // Marking follows the confirms, so it may trail the deliveries by a moment.
    await eventually(async () => {
      const [{ unpublished }] = await ordersDb.query(
        `SELECT count(*)::int AS unpublished FROM orders.outbox WHERE published_at IS NULL`,
      );
      return unpublished === 0;
    });
    const copies = received.filter((message) => ids.has(message.properties.messageId)).length;
    const shares = await Promise.all(relays.map((relay) => relay.published()));
    expect(shares[0] + shares[1]).toBeGreaterThanOrEqual(ids.size);
    console.info(
      `two relays: ${ids.size} events, ${copies} messages, ${copies - ids.size} duplicates, shares ${shares.join('/')}`,
    );
  });
  describe('dispatch: events handed to the relay of the writing process on commit', () => {
    const publishedRow = async (id: string) => {
      const [row] = await ordersDb.query(
        `SELECT published_at IS NOT NULL AS published, attempts FROM orders.outbox WHERE id = $1`,
        [id],
      );
      return row as { published: boolean; attempts: number };
    };

    it('publishes at once after the commit, with no NOTIFY and no claim of its row', async () => {
      const relay = await startRelay();
      const dispatching = new OutboxService({ service: 'orders' }, relay);
      const listener = new Client({ connectionString: database.runtimeUrl('orders') });
      await listener.connect();
      closers.push(() => listener.end());
      const notifications: unknown[] = [];
      listener.on('notification', (notification) => notifications.push(notification));
      await listener.query(`LISTEN ${outboxChannel('orders')}`);
      const claim = jest.spyOn(OutboxRepository.prototype, 'claim');

      const committedAt = Date.now();
      const event = await ordersDb.transaction((tx) => dispatching.add(tx, newOrderPlaced()));

      await eventually(async () => (await effectsOf(inventoryDb, event.id)) === 1, 3_000, 5);
      console.info(`commit to handled through dispatch: ${Date.now() - committedAt} ms`);
      await eventually(async () => (await publishedRow(event.id)).published);
      expect(await publishedRow(event.id)).toEqual({ published: true, attempts: 1 });
      // The relay's own start-up round may run meanwhile; it must not be what sent this row.
      const claimedByRounds = await Promise.all(claim.mock.results.map((result) => result.value));
      expect(claimedByRounds.flat().map(({ id }) => id)).not.toContain(event.id);
      expect(notifications).toEqual([]);
      await relay.stop();
    });

    it('drops the events of a rolled-back transaction, and of a rolled-back nested one', async () => {
      const relay = await startRelay();
      const dispatching = new OutboxService({ service: 'orders' }, relay);
      const received = await broker.tap(DEFAULT_EXCHANGE, ['order.placed']);
      const rolledBack: string[] = [];

      await expect(
        ordersDb.transaction(async (tx) => {
          rolledBack.push((await dispatching.add(tx, newOrderPlaced())).id);
          throw new Error('the order could not be saved');
        }),
      ).rejects.toThrow('could not be saved');
      const kept = await ordersDb.transaction(async (tx) => {
        await tx
          .transaction(async (nested) => {
            rolledBack.push((await dispatching.add(nested, newOrderPlaced())).id);
            throw new Error('this part is undone');
          })
          .catch(() => undefined);
        return dispatching.add(tx, newOrderPlaced());
      });

      await eventually(() => received.some((message) => message.properties.messageId === kept.id));
      await relay.stop();
      expect(received.map((message) => message.properties.messageId)).not.toEqual(
        expect.arrayContaining([rolledBack[0]]),
      );
      expect(received.map((message) => message.properties.messageId)).not.toEqual(
        expect.arrayContaining([rolledBack[1]]),
      );
      const [{ count }] = await ordersDb.query(
        `SELECT count(*)::int AS count FROM orders.outbox WHERE id = ANY($1::uuid[])`,
        [rolledBack],
      );
      expect(count).toBe(0);
    });

    it('sends the event of a writer that died right after its commit once the claim expires', async () => {
      // A dispatcher that never publishes: the process died between COMMIT and the publish.
      const died = new OutboxService({ service: 'orders' }, { leaseMs: 300, dispatch: () => undefined });
      const event = await ordersDb.transaction((tx) => died.add(tx, newOrderPlaced()));
      const relay = await startRelay({ pollIntervalMs: 100 });

      await eventually(async () => (await effectsOf(inventoryDb, event.id)) === 1, 5_000);
      await eventually(async () => (await publishedRow(event.id)).published);
      expect(await publishedRow(event.id)).toEqual({ published: true, attempts: 2 });
      await relay.stop();
    });
  });
});
