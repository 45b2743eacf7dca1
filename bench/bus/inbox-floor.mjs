// The floor under the consumer's side of the bus: Postgres alone doing the inbox's part of
// each event, one transaction per event (START TRANSACTION, the inbox INSERT as the consumer
// writes it, COMMIT), 16 at a time (the consumer's prefetch) on a pool of 10 (its pool),
// with plain pg. No broker, no TypeORM: what the database work of "inbox in the handler's
// transaction" costs by itself on this machine.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const TABLE = 'bench_bus.inbox';

/** Resolves with the seconds `count` inbox transactions took. */
export async function inboxFloor(adminUrl, count, { concurrency = 16, poolSize = 10 } = {}) {
  const pool = new pg.Pool({ connectionString: adminUrl, max: poolSize });
  let started = 0;
  const worker = async () => {
    while (started++ < count) {
      const client = await pool.connect();
      try {
        await client.query('START TRANSACTION');
        await client.query(
          `INSERT INTO ${TABLE} (event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
          [randomUUID(), 'bench-bus.inbox-floor'],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }
  };
  try {
    const startedAt = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - startedAt) / 1000;
    await pool.query(`TRUNCATE ${TABLE}`);
    return seconds;
  } finally {
    await pool.end();
  }
}
