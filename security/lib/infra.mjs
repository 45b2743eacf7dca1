// The suite's own database, broker vhost and Redis keys, created fresh and removed at the end.
// bench/lib/infra.mjs does the same for `shop_bench` with its name fixed in the module; this is
// that setup with the names as parameters of one object, so it can serve `shop_security`.
import { execFileSync } from 'node:child_process';
import { ROOT } from '../../bench/lib/procs.mjs';

export const SERVER = 'postgres://postgres@127.0.0.1:5432';
export const SERVICES = ['users', 'items', 'orders', 'inventory'];

const sh = (command, args, env = {}) =>
  execFileSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();

/** `{ db, vhost, prefix }` → the URLs and the set-up and tear-down steps for them. */
export function infraFor({ db, vhost, prefix }) {
  const adminUrl = `${SERVER}/${db}`;
  return {
    db,
    vhost,
    prefix,
    adminUrl,
    runtimeUrl: (schema) => `postgres://${schema}_svc:${schema}_svc_dev_password@127.0.0.1:5432/${db}`,
    brokerUrl: (svc) =>
      `amqp://${svc}_svc:${svc}_broker_dev_password@127.0.0.1:5672/${encodeURIComponent(vhost)}`,
    dropDatabase: () =>
      sh('psql', [`${SERVER}/postgres`, '-qAtc', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`]),
    setUpDatabase() {
      this.dropDatabase();
      sh('bash', ['scripts/db/bootstrap.sh'], { SHOP_DB_NAME: db, DATABASE_ADMIN_URL: `${SERVER}/postgres` });
      for (const svc of SERVICES)
        sh('node', [`services/${svc}/dist/migrate.js`], { DATABASE_ADMIN_URL: adminUrl, SHOP_DB_NAME: db });
    },
    setUpBroker: () => sh('bash', ['scripts/broker/bootstrap.sh'], { RABBITMQ_VHOST: vhost }),
    dropBroker: () => sh('rabbitmqctl', ['--quiet', 'delete_vhost', vhost]),
    deleteRedisKeys() {
      const keys = sh('redis-cli', ['--scan', '--pattern', `${prefix}*`])
        .split('\n')
        .filter(Boolean);
      for (let i = 0; i < keys.length; i += 500) sh('redis-cli', ['del', ...keys.slice(i, i + 500)]);
      return keys.length;
    },
    /** Runs a users-service command line (`dist/rotate-signing-key.js`) against this database. */
    usersCommand: (script, env) => sh('node', [`services/users/dist/${script}`], env),
  };
}
