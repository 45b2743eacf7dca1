// The suite's own database, broker vhost and Redis key prefix, made fresh for every run.
// bench/lib/infra.mjs does the same for `shop_bench`, but it imports bench/lib/procs.mjs,
// whose process-wide signal handlers would race the suite's own clean-up: hence this module.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from '../../scripts/lib/run.mjs';
import { adminUrl as adminUrlOf, runtimeUrl as runtimeUrlOf } from '../../scripts/lib/system.mjs';

export const DB = 'shop_faults';
export const VHOST = 'shop_faults';
export const KEY_PREFIX = 'faults:';
export const SERVER = 'postgres://postgres@127.0.0.1:5432';
export const adminUrl = adminUrlOf(DB);
export const runtimeUrl = (schema) => runtimeUrlOf(schema, DB);
/** A process's broker URL, through `port` (the suite's fault proxy) rather than 5672. */
export const brokerUrl = (svc, port = 5672) =>
  `amqp://${svc}_svc:${svc}_broker_dev_password@127.0.0.1:${port}/${encodeURIComponent(VHOST)}`;
/** The suite's own broker login (poison publishing, queue counts, the dlq command). */
export const operatorBrokerUrl = `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(VHOST)}`;

const exec = promisify(execFile);

/** Runs a command from the repository root; resolves to its stdout. */
export async function sh(command, args, env = {}) {
  const { stdout } = await exec(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export const psql = (sql, database = 'postgres') => sh('psql', [`${SERVER}/${database}`, '-qAtc', sql]);

export async function setUpDatabase() {
  await dropDatabase();
  await sh('bash', ['scripts/db/bootstrap.sh'], {
    SHOP_DB_NAME: DB,
    DATABASE_ADMIN_URL: `${SERVER}/postgres`,
  });
  // Side by side: each migration spends seconds loading its modules, not in Postgres.
  await Promise.all(
    ['users', 'items', 'orders', 'inventory'].map((svc) =>
      sh('node', [`services/${svc}/dist/migrate.js`], { DATABASE_ADMIN_URL: adminUrl, SHOP_DB_NAME: DB }),
    ),
  );
}

export const dropDatabase = () => psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);

/**
 * The vhost with the services' users (scripts/broker/bootstrap.sh) and guest for the suite.
 * `fastRetries` adds a policy that caps the retry queues' TTL at 1 s: for a queue,
 * RabbitMQ applies the lower of the policy's and the queue's own message-ttl.
 */
export async function setUpBroker({ fastRetries }) {
  await dropBroker();
  await sh('bash', ['scripts/broker/bootstrap.sh'], { RABBITMQ_VHOST: VHOST });
  await sh('rabbitmqctl', ['--quiet', 'set_permissions', '-p', VHOST, 'guest', '.*', '.*', '.*']);
  if (fastRetries)
    await sh('rabbitmqctl', [
      ...['--quiet', 'set_policy', '-p', VHOST, '--apply-to', 'queues'],
      ...['faults-fast-retries', '\\.events\\.retry\\.\\d+$', '{"message-ttl":1000}'],
    ]);
}

export const dropBroker = () =>
  sh('rabbitmqctl', ['--quiet', 'delete_vhost', VHOST]).catch((error) => {
    if (!/not_found|does not exist/i.test(`${error.stderr}${error.message}`)) throw error;
  });

export async function deleteRedisKeys(pattern = `${KEY_PREFIX}*`) {
  const keys = (await sh('redis-cli', ['--scan', '--pattern', pattern])).split('\n').filter(Boolean);
  for (let i = 0; i < keys.length; i += 500) await sh('redis-cli', ['del', ...keys.slice(i, i + 500)]);
  return keys.length;
}

/** Messages in every queue of the vhost: `{ name: count }`. */
export async function queueDepths() {
  const out = await sh('rabbitmqctl', ['--quiet', 'list_queues', '-p', VHOST, 'name', 'messages']);
  const depths = {};
  for (const line of out.split('\n')) {
    const [name, count] = line.trim().split(/\s+/);
    if (name && /^\d+$/.test(count ?? '')) depths[name] = Number(count);
  }
  return depths;
}

/** Parked messages per dead-letter queue. */
export async function deadLettered() {
  const depths = await queueDepths();
  return Object.fromEntries(Object.entries(depths).filter(([name]) => name.endsWith('.dlq')));
}
