// The throw-away infrastructure of one run of a suite (the bench, the fault suite, the security
// suite), beside `npm start`'s and never touching it: a database of its own, bootstrapped and
// migrated with the scripts `npm start` uses; a broker vhost of its own with the services'
// users; and a Redis key prefix. Made fresh at the start of a run, removed at its end.
// Nothing here registers signal handlers, so each suite keeps its own clean-up order.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from './run.mjs';
import {
  adminUrl as adminUrlOf,
  brokerUrl as brokerUrlOf,
  PROCESSES,
  runtimeUrl as runtimeUrlOf,
} from './system.mjs';

/** The services, each with its schema: every process but the gateway. */
export const SERVICES = PROCESSES.filter((proc) => proc.schema).map((proc) => proc.name);

const exec = promisify(execFile);

/** Runs a command from the repository root; resolves to its stdout, rejects with its stderr. */
export async function sh(command, args, env = {}) {
  const { stdout } = await exec(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** `{ db, vhost, prefix }` → the suite's URLs, and the steps that set them up and take them down. */
export function suiteInfra({ db, vhost, prefix }) {
  const adminUrl = adminUrlOf(db);
  const maintenanceUrl = adminUrlOf('postgres');
  const amqpVhost = encodeURIComponent(vhost);
  const psql = (sql, database = 'postgres') => sh('psql', [adminUrlOf(database), '-qAtc', sql]);
  const dropDatabase = () => psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  const dropBroker = () =>
    sh('rabbitmqctl', ['--quiet', 'delete_vhost', vhost]).catch((error) => {
      if (!/not_found|does not exist/i.test(`${error.stderr}${error.message}`)) throw error;
    });
  return {
    db,
    vhost,
    prefix,
    adminUrl,
    /** The server's maintenance database, for what must not run in the suite's own. */
    maintenanceUrl,
    runtimeUrl: (schema) => runtimeUrlOf(schema, db),
    /** A process's broker URL in the suite's vhost; `port`, a local fault proxy's, goes between. */
    brokerUrl(svc, port) {
      const url = new URL(brokerUrlOf(svc));
      if (port) {
        url.hostname = '127.0.0.1';
        url.port = String(port);
      }
      url.pathname = `/${amqpVhost}`;
      return url.toString();
    },
    /** The suite's own login to its vhost (guest), for what the services' users may not do. */
    guestBrokerUrl: `amqp://guest:guest@127.0.0.1:5672/${amqpVhost}`,
    psql,
    dropDatabase,
    async setUpDatabase() {
      await dropDatabase();
      await sh('bash', ['scripts/db/bootstrap.sh'], { SHOP_DB_NAME: db, DATABASE_ADMIN_URL: maintenanceUrl });
      // Side by side: each migration spends its seconds loading modules, not in Postgres.
      await Promise.all(
        SERVICES.map((svc) =>
          sh('node', [`services/${svc}/dist/migrate.js`], { DATABASE_ADMIN_URL: adminUrl, SHOP_DB_NAME: db }),
        ),
      );
    },
    dropBroker,
    /**
     * The vhost with the services' users (scripts/broker/bootstrap.sh); `guest` also lets
     * guest (`guestBrokerUrl`) do anything in it, for a suite's own queues and counts.
     */
    async setUpBroker({ guest = false } = {}) {
      await dropBroker();
      await sh('bash', ['scripts/broker/bootstrap.sh'], { RABBITMQ_VHOST: vhost });
      if (guest)
        await sh('rabbitmqctl', ['--quiet', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
    },
    /** Deletes the keys under the suite's prefix (or `pattern`); resolves to how many. */
    async deleteRedisKeys(pattern = `${prefix}*`) {
      const keys = (await sh('redis-cli', ['--scan', '--pattern', pattern])).split('\n').filter(Boolean);
      for (let i = 0; i < keys.length; i += 500) await sh('redis-cli', ['del', ...keys.slice(i, i + 500)]);
      return keys.length;
    },
  };
}
