// The bench's own database, broker vhost and Redis keys: created fresh, removed at the end.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ROOT } from './procs.mjs';

export const DB = 'shop_bench';
export const VHOST = 'shop_bench';
export const SERVER = 'postgres://postgres@127.0.0.1:5432';
export const adminUrl = `${SERVER}/${DB}`;
export const runtimeUrl = (schema) =>
  `postgres://${schema}_svc:${schema}_svc_dev_password@127.0.0.1:5432/${DB}`;
export const brokerUrl = (svc) =>
  `amqp://${svc}_svc:${svc}_broker_dev_password@127.0.0.1:5672/${encodeURIComponent(VHOST)}`;
export const floorBrokerUrl = `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(VHOST)}`;

const sh = (command, args, env = {}) =>
  execFileSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();

export function dropDatabase() {
  sh('psql', [`${SERVER}/postgres`, '-qAtc', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`]);
}

export function setUpDatabase() {
  dropDatabase();
  sh('bash', ['scripts/db/bootstrap.sh'], { SHOP_DB_NAME: DB, DATABASE_ADMIN_URL: `${SERVER}/postgres` });
  for (const svc of ['users', 'items', 'orders', 'inventory'])
    sh('node', [`services/${svc}/dist/migrate.js`], { DATABASE_ADMIN_URL: adminUrl, SHOP_DB_NAME: DB });
}

export function setUpBroker() {
  sh('bash', ['scripts/broker/bootstrap.sh'], { RABBITMQ_VHOST: VHOST });
  // The floor measurement's own queue, as guest, in this vhost only.
  sh('rabbitmqctl', ['--quiet', 'set_permissions', '-p', VHOST, 'guest', '.*', '.*', '.*']);
}

export function dropBroker() {
  sh('rabbitmqctl', ['--quiet', 'delete_vhost', VHOST]);
}

export function deleteRedisKeys(pattern) {
  const keys = sh('redis-cli', ['--scan', '--pattern', pattern]).split('\n').filter(Boolean);
  for (let i = 0; i < keys.length; i += 500) sh('redis-cli', ['del', ...keys.slice(i, i + 500)]);
  return keys.length;
}

export function redisPid() {
  return /process_id:(\d+)/.exec(sh('redis-cli', ['info', 'server']))?.[1];
}

/**
 * Waits (up to `timeoutMs`) until no outbox of `schemas` holds an unpublished row: the saga's
 * last events are out, so the next phase does not share the machine with their backlog.
 */
export async function waitForEmptyOutboxes(schemas, timeoutMs = 30_000) {
  const client = new pg.Client({ connectionString: adminUrl });
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
