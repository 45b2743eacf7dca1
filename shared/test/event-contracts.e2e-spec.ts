import { Logger } from '@nestjs/common';
import Ajv from 'ajv';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AmqpConnectionService } from '../src/events/amqp-connection.service';
import { asyncApiDocument } from '../src/events/asyncapi/asyncapi-document.factory';
import { messageId } from '../src/events/asyncapi/event-message.factory';
import { silentBusLogger } from '../src/events/bus-logger.factory';
import { EventConsumerService } from '../src/events/consumer/event-consumer.service';
import type { EventHandler } from '../src/events/consumer/event.handler';
import { EVENT_TYPES, EventSource, EventType, parseEvent, ShopEvent } from '../src/events/contracts';
import { EventBusMetrics } from '../src/events/event-bus.metrics';
import { EventPublisherService } from '../src/events/event-publisher.service';
import { createEventTablesMigration } from '../src/events/outbox/event-tables.migration';
import { OutboxService } from '../src/events/outbox/outbox.service';
import { createTestVhost, TestVhost } from '../src/events/testing/test-vhost.fixture';
import { consumerTopology, DEFAULT_EXCHANGE } from '../src/events/topology.model';
import { createTestDatabase, TestDatabase } from '../src/testing/test-database.fixture';
import { eventually, rawBroker, RawBroker, runtimeDataSource } from './events.fixture';
import { malformed } from './event-samples.fixture';
import { producedEvents } from './producers.fixture';
import { loadFromRepo, subscriptionsInCode } from './system-code.fixture';

const PUBLISHERS: EventSource[] = ['users', 'items', 'orders', 'inventory'];
type Received = Map<string, ShopEvent[]>;

/** What each receiver got, by receiver: every consumer's handlers only record. */
const recorder = (received: Received, receiver: string) => ({
  handle: async (event: ShopEvent) => void received.set(receiver, [...(received.get(receiver) ?? []), event]),
});

describe('event contracts, for every event type', () => {
  const document = asyncApiDocument({ receivers: { gateway: subscriptionsInCode().gateway } });
  const ajv = new Ajv({ allErrors: true, validateFormats: false });
  const subscriptions = subscriptionsInCode();
  const received: Received = new Map();
  const written = new Map<EventType, ShopEvent>();
  let vhost: TestVhost;
  let database: TestDatabase;
  const dbs = new Map<string, DataSource>();
  let connection: AmqpConnectionService;
  let consumers: EventConsumerService[] = [];
  let gatewayFeed: {
    onModuleInit(): void;
    waitUntilSubscribed(): Promise<void>;
    onApplicationShutdown(): Promise<void>;
  };
  let broker: RawBroker;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const services = [
      ...new Set([...PUBLISHERS, ...Object.keys(subscriptions).filter((r) => r !== 'gateway')]),
    ];
    [vhost, database] = await Promise.all([
      createTestVhost(),
      createTestDatabase({
        services: services.map((schema) => ({
          schema,
          migrations: [createEventTablesMigration(schema, 1700000000000)],
        })),
      }),
    ]);
    for (const schema of services)
      dbs.set(schema, await runtimeDataSource(database.runtimeUrl(schema), schema));
    connection = new AmqpConnectionService({ url: vhost.url, name: 'contracts', logger: silentBusLogger });
    const metrics = new EventBusMetrics(new Registry());
    consumers = Object.entries(subscriptions)
      .filter(([receiver]) => receiver !== 'gateway')
      .map(([service, types]) => {
        const consumer = new EventConsumerService(connection, dbs.get(service)!, {
          topology: consumerTopology({ service, eventTypes: types, retryDelaysMs: [100], deliveryLimit: 3 }),
          schema: service,
          handlers: Object.fromEntries(types.map((type) => [type, recorder(received, service)])) as Record<
            EventType,
            EventHandler
          >,
          metrics,
          logger: silentBusLogger,
        });
        consumer.attach();
        return consumer;
      });
    connection.start();
    await connection.waitUntilConnected();
    broker = await rawBroker(vhost.url);
    // Like shop.events.audit: keeps types nobody here consumes routable for `mandatory`.
    await broker.tap(DEFAULT_EXCHANGE, ['#']);
    const { EventFeedService } = await loadFromRepo<{
      EventFeedService: new (...args: unknown[]) => typeof gatewayFeed;
    }>('gateway/src/events/event-feed.service.ts');
    gatewayFeed = new EventFeedService({ RABBITMQ_URL: vhost.url }, recorder(received, 'gateway'), {
      register: () => undefined,
    });
    gatewayFeed.onModuleInit();
    await gatewayFeed.waitUntilSubscribed();
    await eventually(() => consumers.length > 0 && connection.isConnected());
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop(1_000)));
    await gatewayFeed?.onApplicationShutdown();
    await connection?.close();
    await broker?.close();
    await Promise.all([...dbs.values()].map((db) => db.destroy()));
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it("validates what each producer writes to its outbox against the type's schema in the AsyncAPI document", async () => {
    const produced = await producedEvents();
    expect(produced.map(({ event }) => event.type).sort()).toEqual([...EVENT_TYPES].sort());
    for (const { service, event } of produced) {
      const db = dbs.get(service)!;
      const { id } = await db.transaction((tx) => new OutboxService({ service }).add(tx, event));
      const [{ payload }] = await db.query(`SELECT payload FROM ${service}.outbox WHERE id = $1`, [id]);
      const message = document.components.messages[messageId(event.type, 1)];
      const validate = ajv.compile(message.payload);
      expect({ type: event.type, errors: validate(payload) ? [] : validate.errors }).toEqual({
        type: event.type,
        errors: [],
      });
      written.set(event.type, parseEvent(payload));
    }
  });

  it('has every consumer of a type accept a produced sample of it', async () => {
    expect(written.size).toBe(EVENT_TYPES.length);
    const publisher = new EventPublisherService(connection, {});
    for (const event of written.values()) await publisher.publish(event);
    for (const [receiver, types] of Object.entries(subscriptions)) {
      const ids = types.map((type) => written.get(type)!.id).sort();
      await eventually(() => {
        const got = new Set((received.get(receiver) ?? []).map((event) => event.id));
        return ids.every((id) => got.has(id));
      }, 10_000);
    }
    publisher.close();
  });

  it('dead-letters a malformed event of each type without running the handler (the gateway drops it)', async () => {
    expect(written.size).toBe(EVENT_TYPES.length);
    const bad = new Map<string, EventType>();
    for (const event of written.values()) {
      const body = malformed({ ...event, id: randomUUID() });
      bad.set(body.id as string, event.type);
      broker.channel.publish(DEFAULT_EXCHANGE, event.type, Buffer.from(JSON.stringify(body)), {
        messageId: body.id as string,
        type: event.type,
        persistent: true,
      });
    }
    for (const [service, types] of Object.entries(subscriptions).filter(
      ([receiver]) => receiver !== 'gateway',
    )) {
      const wanted = [...bad]
        .filter(([, type]) => types.includes(type))
        .map(([id]) => id)
        .sort();
      const dead: string[] = [];
      const { deadLetterQueue } = consumerTopology({
        service,
        eventTypes: types,
        retryDelaysMs: [],
        deliveryLimit: 1,
      });
      await eventually(async () => {
        dead.push(...(await broker.drain(deadLetterQueue)).map((message) => message.properties.messageId));
        return dead.length >= wanted.length;
      }, 10_000);
      expect(dead.sort()).toEqual(wanted);
    }
    // Everything valid was taken before; a malformed one would show up beside it by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const handled = [...received.values()].flat().map((event) => event.id);
    expect(handled.filter((id) => bad.has(id))).toEqual([]);
  });
});
