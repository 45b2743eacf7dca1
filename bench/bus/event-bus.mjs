// The system's own event bus at saturation, built from @shop/shared's compiled code and wired
// as EventBusModule wires it in a service (and as shared/test/events-outbox.e2e-spec.ts does):
// a producer with its DataSource, AmqpConnectionService, EventPublisherService and OutboxRelayService, and a
// consumer with its own DataSource, AmqpConnectionService and EventConsumerService with its inbox. Both in
// schema `bench_bus` of the bench's database, on an exchange of their own (`bench.bus`), so
// nothing reaches the services' queues.
//
// A round writes `count` events into the outbox first (the relay is not running), then starts
// a relay and times the span until the consumer has handled every one of them: outbox →
// broker → inbox, each stage as fast as it goes.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AmqpConnectionService,
  createDataSourceOptions,
  createEventTablesMigration,
  OutboxService,
} from '@shop/shared';
// The wiring EventBusModule does inside a service, reached here in the built files themselves:
// these are not part of @shop/shared's public face.
import {
  consumerTopology,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_RETRY_DELAYS_MS,
  EventBusMetrics,
  EventConsumerService,
  EventPublisherService,
  OutboxRelayService,
  silentBusLogger as logger,
} from '../../shared/dist/events/index.js';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';

const SCHEMA = 'bench_bus';
const EXCHANGE = 'bench.bus';
const WRITE_BATCH = 100;
const ROUND_TIMEOUT_MS = 120_000;

/** An `order.placed` as orders writes it: the event every saga starts with. */
export function orderPlaced() {
  const orderId = randomUUID();
  return {
    type: 'order.placed',
    aggregateId: orderId,
    aggregateVersion: 1,
    data: {
      orderId,
      userId: randomUUID(),
      lines: [{ itemId: randomUUID(), quantity: 1, unitPrice: '12.50' }],
      total: '12.50',
    },
  };
}

async function dataSource(adminUrl) {
  return new DataSource(createDataSourceOptions({ url: adminUrl, schema: SCHEMA })).initialize();
}

/** Sets up schema, producer and consumer; `run(count)` resolves with the seconds a round took. */
export async function eventBus({ adminUrl, brokerUrl }) {
  const producerDb = await dataSource(adminUrl);
  await producerDb.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  const Migration = createEventTablesMigration(SCHEMA, 1700000000000);
  await new Migration().up(producerDb.createQueryRunner());
  const consumerDb = await dataSource(adminUrl);

  const consumerMetrics = new EventBusMetrics(new Registry());
  const consumerConnection = new AmqpConnectionService({
    url: brokerUrl,
    name: 'bench-bus-consumer',
    logger,
  });
  const consumer = new EventConsumerService(consumerConnection, consumerDb, {
    topology: consumerTopology({
      service: 'bench-bus',
      exchange: EXCHANGE,
      eventTypes: ['order.placed'],
      retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
      deliveryLimit: DEFAULT_DELIVERY_LIMIT,
    }),
    schema: SCHEMA,
    handlers: { 'order.placed': { handle: async () => undefined } }, // the inbox is the work
    metrics: consumerMetrics,
    logger,
  });
  consumer.attach();
  consumerConnection.start();
  await consumerConnection.waitUntilConnected();

  const producerConnection = new AmqpConnectionService({
    url: brokerUrl,
    name: 'bench-bus-producer',
    logger,
  });
  producerConnection.start();
  await producerConnection.waitUntilConnected();
  const publisherMetrics = new EventBusMetrics(new Registry());
  const publisher = new EventPublisherService(producerConnection, {
    exchange: EXCHANGE,
    metrics: publisherMetrics,
  });
  const outbox = new OutboxService({ service: 'orders', schema: SCHEMA });

  const handled = async () =>
    (await consumerMetrics.consumed.get()).values.find((value) => value.labels.outcome === 'ok')?.value ?? 0;

  const write = async (count) => {
    for (let written = 0; written < count; written += WRITE_BATCH) {
      await producerDb.transaction(async (tx) => {
        for (let i = written; i < Math.min(count, written + WRITE_BATCH); i++)
          await outbox.add(tx, orderPlaced());
      });
    }
  };

  return {
    async run(count) {
      await write(count);
      const target = (await handled()) + count;
      const relay = new OutboxRelayService(producerDb, publisher, producerConnection, {
        schema: SCHEMA,
        pollIntervalMs: 60_000, // NOTIFY and the start wake it; no poll during a round
        logger,
      });
      const startedAt = performance.now();
      relay.start();
      while ((await handled()) < target) {
        if (performance.now() - startedAt > ROUND_TIMEOUT_MS)
          throw new Error(
            `event bus: ${target - (await handled())} of ${count} events not handled after 120 s`,
          );
        await sleep(5);
      }
      const seconds = (performance.now() - startedAt) / 1000;
      await relay.stop();
      await producerDb.query(`TRUNCATE ${SCHEMA}.outbox, ${SCHEMA}.inbox`);
      return seconds;
    },
    async close() {
      await consumer.stop(1000);
      await publisher.close();
      await Promise.allSettled([producerConnection.close(), consumerConnection.close()]);
      await Promise.allSettled([producerDb.destroy(), consumerDb.destroy()]);
    },
  };
}
