// The floor under the saga: what one durable Postgres commit and one confirmed RabbitMQ
// publish-and-consume cost on this machine, measured one at a time.
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';
import pg from 'pg';
import { percentiles } from './saga.mjs';

/** `count` single-row INSERTs, each its own transaction (so each waits for its commit's WAL flush). */
export async function postgresFloor(adminUrl, count) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS public.bench_floor (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload jsonb)',
    );
    const times = [];
    for (let i = 0; i < count + 20; i++) {
      const startedAt = performance.now();
      await client.query('BEGIN');
      await client.query('INSERT INTO public.bench_floor (payload) VALUES ($1)', [{ i }]);
      await client.query('COMMIT');
      if (i >= 20) times.push(performance.now() - startedAt);
    }
    await client.query('DROP TABLE public.bench_floor');
    return percentiles(times);
  } finally {
    await client.end();
  }
}

/**
 * `count` persistent messages, one at a time, through a durable quorum queue (as the services'
 * queues are) on a confirm channel: publish → broker confirm, and publish → delivered to a
 * consumer on another connection.
 */
export async function brokerFloor(url, count) {
  const publisher = await amqp.connect(url);
  const consumer = await amqp.connect(url);
  const queue = 'bench.floor';
  try {
    const channel = await publisher.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const receiving = await consumer.createChannel();
    let delivered;
    await receiving.consume(queue, (message) => {
      receiving.ack(message);
      delivered?.(performance.now());
    });
    const confirms = [];
    const roundTrips = [];
    for (let i = 0; i < count + 20; i++) {
      const arrived = new Promise((resolve) => (delivered = resolve));
      const startedAt = performance.now();
      const confirmed = new Promise((resolve, reject) =>
        channel.sendToQueue(queue, Buffer.from(JSON.stringify({ i })), { persistent: true }, (error) =>
          error ? reject(error) : resolve(performance.now()),
        ),
      );
      const [confirmedAt, arrivedAt] = await Promise.all([confirmed, arrived]);
      if (i >= 20) {
        confirms.push(confirmedAt - startedAt);
        roundTrips.push(arrivedAt - startedAt);
      }
    }
    await channel.deleteQueue(queue);
    return { confirm: percentiles(confirms), roundTrip: percentiles(roundTrips) };
  } finally {
    await Promise.allSettled([publisher.close(), consumer.close()]);
  }
}
