// What Postgres's parts of an event's path cost on this machine, measured one at a time with
// plain node-postgres in the bench's database: a round trip, a durable commit, a one-row
// UPDATE in its own transaction (like the relay's claim and mark), and a commit that NOTIFYs
// a LISTENing connection (like an outbox write waking its relay).
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { percentiles } from './stats.mjs';

const WARM_UP = 20;
const TABLE = 'public.bench_floor';
const CHANNEL = 'bench_floor';

async function timed(count, once) {
  const times = [];
  for (let i = 0; i < count + WARM_UP; i++) {
    const ms = await once(i);
    if (i >= WARM_UP) times.push(ms);
  }
  return percentiles(times);
}

async function since(startedAt, work) {
  await work();
  return performance.now() - startedAt;
}

/** Every Postgres floor, `count` times each: `{ roundTrip, commit, update, notify }` percentiles. */
export async function postgresFloors(adminUrl, count) {
  const client = new pg.Client({ connectionString: adminUrl });
  const listener = new pg.Client({ connectionString: adminUrl });
  await Promise.all([client.connect(), listener.connect()]);
  try {
    await client.query(
      `CREATE TABLE ${TABLE} (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload jsonb)`,
    );
    await client.query(`INSERT INTO ${TABLE} (payload) VALUES ('{}')`);
    const roundTrip = await timed(count, () => since(performance.now(), () => client.query('SELECT 1')));
    const commit = await timed(count, (i) =>
      since(performance.now(), async () => {
        await client.query('BEGIN');
        await client.query(`INSERT INTO ${TABLE} (payload) VALUES ($1)`, [{ i }]);
        await client.query('COMMIT');
      }),
    );
    const update = await timed(count, () =>
      since(performance.now(), () => client.query(`UPDATE ${TABLE} SET at = now() WHERE id = 1`)),
    );
    const notify = await notifyFloor(client, listener, count);
    await client.query(`DROP TABLE ${TABLE}`);
    return { roundTrip, commit, update, notify };
  } finally {
    await Promise.allSettled([client.end(), listener.end()]);
  }
}

/** From BEGIN to the listener's wake-up, for a transaction of one INSERT and one pg_notify. */
async function notifyFloor(client, listener, count) {
  let woken;
  listener.on('notification', () => woken?.(performance.now()));
  await listener.query(`LISTEN ${CHANNEL}`);
  return timed(count, async (i) => {
    const wake = new Promise((resolve) => (woken = resolve));
    const startedAt = performance.now();
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${TABLE} (payload) VALUES ($1)`, [{ i }]);
    await client.query(`SELECT pg_notify($1, '')`, [CHANNEL]);
    await client.query('COMMIT');
    return (await wake) - startedAt;
  });
}
