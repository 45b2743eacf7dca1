// The bench's own database, broker vhost and Redis keys (scripts/lib/suite-infra.mjs), and
// what only the bench asks of them: Redis's pid for the CPU columns, and an empty outbox
// before Part C.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { sh, suiteInfra } from '../../scripts/lib/suite-infra.mjs';

export const infra = suiteInfra({ db: 'shop_bench', vhost: 'shop_bench', prefix: 'bench:' });

/** The Redis server's pid, whose CPU the bench counts. */
export async function redisPid() {
  return /process_id:(\d+)/.exec(await sh('redis-cli', ['info', 'server']))?.[1];
}

/**
 * Waits (up to `timeoutMs`) until no outbox of `schemas` holds an unpublished row: the saga's
 * last events are out, so the next phase does not share the machine with their backlog.
 */
export async function waitForEmptyOutboxes(schemas, timeoutMs = 30_000) {
  const client = new pg.Client({ connectionString: infra.adminUrl });
  await client.connect();
  try {
    const pending = schemas
      .map((schema) => `(SELECT count(*) FROM ${schema}.outbox WHERE published_at IS NULL)`)
      .join(' + ');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query(`SELECT ${pending} AS n`);
      if (Number(rows[0].n) === 0) return true;
      await sleep(200);
    }
    return false;
  } finally {
    await client.end();
  }
}
