import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { AmqpConnectionService } from '../src/events/amqp-connection.service';
import { asyncApiDocument } from '../src/events/asyncapi/asyncapi-document.factory';
import { silentBusLogger } from '../src/events/bus-logger.factory';
import { EventConsumerService } from '../src/events/consumer/event-consumer.service';
import { EVENT_SCHEMAS, LATER_VERSIONS, parseEvent, ShopEvent } from '../src/events/contracts';
import { EventBusMetrics } from '../src/events/event-bus.metrics';
import { EventPublisherService } from '../src/events/event-publisher.service';
import { createEventTablesMigration } from '../src/events/outbox/event-tables.migration';
import { OutboxService } from '../src/events/outbox/outbox.service';
import { createTestVhost, TestVhost } from '../src/events/testing/test-vhost.fixture';
import { consumerTopology, DEFAULT_EXCHANGE } from '../src/events/topology.model';
import { createTestDatabase, TestDatabase } from '../src/testing/test-database.fixture';
import { eventually, rawBroker, RawBroker, runtimeDataSource } from './events.fixture';
import { sampleEvent } from './event-samples.fixture';

// The change rehearsed: item.updated version 2 carries its price with a currency.
const ITEM_UPDATED_V2 = EVENT_SCHEMAS['item.updated']
  .omit({ price: true })
  .extend({
    price: z.object({ amount: EVENT_SCHEMAS['item.updated'].shape.price, currency: z.string().length(3) }),
  })
  .strict();

describe('changing an event: version 2 beside version 1', () => {
  const topology = consumerTopology({
    service: 'inventory',
    eventTypes: ['item.updated'],
    retryDelaysMs: [100],
    deliveryLimit: 3,
  });
  /** A consumer during the change: it reads both versions (the price, whichever shape it has). */
  const prices: { id: string; version: number; price: string }[] = [];
  const handler = {
    handle: async (event: ShopEvent) => {
      const data = event.data as { price: string | { amount: string } };
      const price = event.version === 2 ? (data.price as { amount: string }).amount : (data.price as string);
      prices.push({ id: event.id, version: event.version, price });
    },
  };
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let connection: AmqpConnectionService;
  let consumer: EventConsumerService;
  let broker: RawBroker;

  beforeAll(async () => {
    // Step 1 of the policy: version 2 is added to the contracts, next to version 1.
    LATER_VERSIONS['item.updated'] = { 2: ITEM_UPDATED_V2 };
    [vhost, database] = await Promise.all([
      createTestVhost(),
      createTestDatabase({
        services: ['items', 'inventory'].map((schema) => ({
          schema,
          migrations: [createEventTablesMigration(schema, 1700000000000)],
        })),
      }),
    ]);
    db = await runtimeDataSource(database.runtimeUrl('inventory'), 'inventory');
    connection = new AmqpConnectionService({ url: vhost.url, name: 'versions', logger: silentBusLogger });
    consumer = new EventConsumerService(connection, db, {
      topology,
      schema: 'inventory',
      handlers: { 'item.updated': handler },
      metrics: new EventBusMetrics(new Registry()),
      logger: silentBusLogger,
    });
    consumer.attach();
    connection.start();
    await connection.waitUntilConnected();
    broker = await rawBroker(vhost.url);
  });

  afterAll(async () => {
    delete LATER_VERSIONS['item.updated'];
    await consumer?.stop(1_000);
    await connection?.close();
    await broker?.close();
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('has a consumer accept version 1 (written before the producer switched) and version 2 (after)', async () => {
    const items = await runtimeDataSource(database.runtimeUrl('items'), 'items');
    const outbox = new OutboxService({ service: 'items' });
    const { data } = sampleEvent('item.updated');
    const base = { type: 'item.updated' as const, aggregateId: data.itemId, correlationId: 'versions' };
    const [v1, v2] = await items.transaction(async (tx) => [
      await outbox.add(tx, { ...base, aggregateVersion: 1, data }),
      await outbox.add(tx, {
        ...base,
        version: 2,
        aggregateVersion: 2,
        data: { ...data, price: { amount: data.price, currency: 'EUR' } } as unknown as typeof data,
      }),
    ]);
    await items.destroy();
    expect([v1.version, v2.version]).toEqual([1, 2]);

    const publisher = new EventPublisherService(connection, {});
    await publisher.publish(v1);
    await publisher.publish(v2);
    await eventually(() => prices.length === 2);
    expect(prices).toEqual([
      { id: v1.id, version: 1, price: data.price },
      { id: v2.id, version: 2, price: data.price },
    ]);
    await publisher.close();
  });

  it('dead-letters a version nobody has added to the contracts, without running the handler', async () => {
    const v3 = { ...sampleEvent('item.updated'), version: 3 };
    const handledBefore = prices.length;
    broker.channel.publish(DEFAULT_EXCHANGE, 'item.updated', Buffer.from(JSON.stringify(v3)), {
      messageId: v3.id,
    });
    const [dead] = await eventually(async () => {
      const messages = await broker.drain(topology.deadLetterQueue);
      return messages.length > 0 && messages;
    });
    expect(dead.properties.messageId).toBe(v3.id);
    expect(prices.length).toBe(handledBefore);
  });

  it('documents both versions in the AsyncAPI document while the change is under way, and only one after', () => {
    const during = asyncApiDocument().channels['item.updated'].messages;
    expect(Object.keys(during)).toEqual(['item.updated.v1', 'item.updated.v2']);
    const v2 = { ...sampleEvent('item.updated'), version: 2 };
    expect(() =>
      parseEvent({ ...v2, data: { ...v2.data, price: { amount: '1.00', currency: 'EUR' } } }),
    ).not.toThrow();

    const { 2: _v2 } = LATER_VERSIONS['item.updated']!;
    delete LATER_VERSIONS['item.updated'];
    try {
      expect(Object.keys(asyncApiDocument().channels['item.updated'].messages)).toEqual(['item.updated.v1']);
      expect(() =>
        parseEvent({ ...v2, data: { ...v2.data, price: { amount: '1.00', currency: 'EUR' } } }),
      ).toThrow('item.updated: version 2 is not known here');
    } finally {
      LATER_VERSIONS['item.updated'] = { 2: _v2 };
    }
  });
});
