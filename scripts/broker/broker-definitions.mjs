// Shop's RabbitMQ users and what each may do, as a RabbitMQ definitions
// document: the one description that definitions.json (loaded by the broker
// in compose and k8s) and bootstrap.sh (applied to a running broker) share.
//
//   node scripts/broker/broker-definitions.mjs --write
//       regenerates definitions.json (dev passwords, stable salts); --dev prints it
//   node scripts/broker/broker-definitions.mjs --vhost shop [--with-admin]
//       prints definitions with passwords from the environment (random salts)
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EXCHANGE = 'shop.events';

/** Bound to every event type: a bounded audit trail, and what keeps every publish routable. */
export const AUDIT_QUEUE = 'shop.events.audit';

/** Each service and the prefixes of the event types it alone may publish (`sourceOf` in the contracts). */
export const PUBLISHERS = {
  users: ['user', 'announcement'],
  items: ['item'],
  orders: ['order'],
  inventory: ['inventory'],
};

/** The gateway reads events for its WebSockets and publishes none. */
export const GATEWAY = 'gateway';

/** Full rights on the vhost: for people (management UI), never for a service. */
export const ADMIN_USER = 'shop_admin';

const escape = (name) => name.replaceAll('.', '\\.');

/** `orders` → `orders_svc`, like the service's Postgres role. */
export const userOf = (service) => `${service}_svc`;

/** The password of a service's broker user: `<SVC>_BROKER_PASSWORD`, or its dev default. */
export const passwordOf = (service, env = process.env) =>
  env[`${service.toUpperCase()}_BROKER_PASSWORD`] || `${service}_broker_dev_password`;

/**
 * configure / write / read regexes of a service. Its own objects are
 * `<svc>.events` (queue), `.dlq`, `.retry.<n>` and `.direct` (exchange); on
 * `shop.events` it needs configure (declare it), write (publish) and read
 * (bind its queue to it). It can neither read nor bind another's queue.
 */
export function servicePermissions(service) {
  const objects = `^(${escape(EXCHANGE)}|${service}\\.events(\\..+)?)$`;
  return { configure: objects, write: objects, read: objects };
}

/** The gateway's exclusive queues are `gateway.<replica>.…`; no write on any exchange, so it cannot publish. */
export function gatewayPermissions() {
  const queues = `^${GATEWAY}\\..+$`;
  return { configure: queues, write: queues, read: `^(${escape(EXCHANGE)}|${GATEWAY}\\..+)$` };
}

/** RabbitMQ's rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)), 4-byte salt. */
export function passwordHash(password, salt = randomBytes(4)) {
  const digest = createHash('sha256').update(salt).update(password, 'utf8').digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

/** Whether `hash` is `password` under rabbit_password_hashing_sha256. */
export function verifyPasswordHash(hash, password) {
  const salt = Buffer.from(hash, 'base64').subarray(0, 4);
  return passwordHash(password, salt) === hash;
}

/**
 * The definitions document.
 *
 * @param {{ vhost?: string, env?: object, withAdmin?: boolean, stableSalts?: boolean }} options
 *   `stableSalts` derives each salt from the user name so that regenerating
 *   the dev file changes nothing; only for the published dev passwords.
 */
export function brokerDefinitions({
  vhost = '/',
  env = process.env,
  withAdmin = false,
  stableSalts = false,
} = {}) {
  const saltFor = (user) =>
    stableSalts ? createHash('sha256').update(`shop-dev:${user}`).digest().subarray(0, 4) : randomBytes(4);
  const user = (name, password, tags = []) => ({
    name,
    password_hash: passwordHash(password, saltFor(name)),
    hashing_algorithm: 'rabbit_password_hashing_sha256',
    tags,
    limits: {},
  });

  const services = Object.keys(PUBLISHERS);
  const users = [...services, GATEWAY].map((service) => user(userOf(service), passwordOf(service, env)));
  const permissions = [
    ...services.map((service) => ({ user: userOf(service), vhost, ...servicePermissions(service) })),
    { user: userOf(GATEWAY), vhost, ...gatewayPermissions() },
  ];
  if (withAdmin) {
    users.unshift(user(ADMIN_USER, passwordOf('admin', env), ['administrator']));
    permissions.unshift({ user: ADMIN_USER, vhost, configure: '.*', write: '.*', read: '.*' });
  }

  return {
    vhosts: [{ name: vhost }],
    users,
    permissions,
    // Topic permissions check the routing key (the event type) of every
    // publish to shop.events: 403 ACCESS_REFUSED for another service's type.
    topic_permissions: services.map((service) => ({
      user: userOf(service),
      vhost,
      exchange: EXCHANGE,
      write: `^(${PUBLISHERS[service].join('|')})\\.`,
      read: '.*',
    })),
    exchanges: [
      {
        name: EXCHANGE,
        vhost,
        type: 'topic',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      },
    ],
    // Service queues are declared by the services themselves, with their arguments in code
    // (topology.model.ts). The audit queue is the broker's: it keeps the latest events of every type, so
    // an event type nobody consumes yet (user.registered) is still routable — publishes are
    // `mandatory`, and an unroutable event would otherwise wait in its outbox forever.
    queues: [
      {
        name: AUDIT_QUEUE,
        vhost,
        durable: true,
        auto_delete: false,
        arguments: { 'x-queue-type': 'quorum', 'x-max-length': 100_000, 'x-overflow': 'drop-head' },
      },
    ],
    bindings: [
      {
        source: EXCHANGE,
        vhost,
        destination: AUDIT_QUEUE,
        destination_type: 'queue',
        routing_key: '#',
        arguments: {},
      },
    ],
  };
}

const DEFINITIONS_FILE = fileURLToPath(new URL('./definitions.json', import.meta.url));

/** definitions.json as it should read: the dev users, an admin, vhost `/`. */
export const devDefinitions = () =>
  JSON.stringify(brokerDefinitions({ env: {}, withAdmin: true, stableSalts: true }), null, 2) + '\n';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--write')) {
    // Formatted as the repo's Prettier would, so `npm run lint` stays clean.
    const prettier = await import('prettier');
    const config = await prettier.resolveConfig(DEFINITIONS_FILE);
    writeFileSync(DEFINITIONS_FILE, await prettier.format(devDefinitions(), { ...config, parser: 'json' }));
    console.error(`wrote ${DEFINITIONS_FILE}`);
  } else if (args.includes('--dev')) {
    process.stdout.write(devDefinitions());
  } else {
    const at = args.indexOf('--vhost');
    const vhost = at >= 0 ? args[at + 1] : '/';
    process.stdout.write(
      JSON.stringify(brokerDefinitions({ vhost, withAdmin: args.includes('--with-admin') })),
    );
  }
}
