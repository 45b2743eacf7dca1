// The processes of the system and the environment `npm start` gives them.
// One list, so that start, the tests and the docs agree on names and ports.

/** Every process, in start order. `schema` marks the services that own a database schema. */
export const PROCESSES = [
  { name: 'users', dir: 'services/users', port: 3001, schema: 'users' },
  { name: 'items', dir: 'services/items', port: 3002, schema: 'items' },
  { name: 'orders', dir: 'services/orders', port: 3003, schema: 'orders' },
  { name: 'inventory', dir: 'services/inventory', port: 3004, schema: 'inventory' },
  { name: 'gateway', dir: 'gateway', port: 8080, adminPort: 8081 },
];

const DEV_ADMIN = { username: 'admin', password: 'Admin123!dev' };

/** Reads a variable, falling back to the local default (SPEC: Configuration). */
const read = (name, fallback) => process.env[name] || fallback;

/** The environment shared by every process, honouring whatever the caller already set. */
export function commonEnv() {
  return {
    // The loopback: on a laptop the services and the gateway's /metrics stay
    // off the network. The processes' own default is 0.0.0.0, for containers.
    HOST: read('HOST', '127.0.0.1'),
    LOG_LEVEL: read('LOG_LEVEL', 'info'),
    REDIS_URL: read('REDIS_URL', 'redis://127.0.0.1:6379'),
    RABBITMQ_URL: read('RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672'),
    USERS_URL: read('USERS_URL', 'http://127.0.0.1:3001'),
    ITEMS_URL: read('ITEMS_URL', 'http://127.0.0.1:3002'),
    ORDERS_URL: read('ORDERS_URL', 'http://127.0.0.1:3003'),
    INVENTORY_URL: read('INVENTORY_URL', 'http://127.0.0.1:3004'),
    JWT_ISSUER: read('JWT_ISSUER', 'http://localhost:8080'),
    JWT_AUDIENCE: read('JWT_AUDIENCE', 'shop'),
  };
}

/** The admin connection used by the bootstrap and the migrations, pointed at one database. */
export function adminUrl(database = read('SHOP_DB_NAME', 'shop')) {
  const url = new URL(read('DATABASE_ADMIN_URL', 'postgres://postgres@127.0.0.1:5432/postgres'));
  url.pathname = `/${database}`;
  return url.toString();
}

/** A service's runtime role URL: same server as the admin URL, its own login role (dev passwords). */
export function runtimeUrl(schema, database = read('SHOP_DB_NAME', 'shop')) {
  const url = new URL(adminUrl(database));
  url.username = `${schema}_svc`;
  url.password = read(`${schema.toUpperCase()}_DB_PASSWORD`, `${schema}_svc_dev_password`);
  return url.toString();
}

/**
 * A process's broker URL: the server of RABBITMQ_URL, logged in as the
 * process's own user (`orders_svc`, …) with its password (`<SVC>_BROKER_PASSWORD`,
 * dev default), as scripts/broker/bootstrap.sh created it.
 */
export function brokerUrl(name) {
  const url = new URL(commonEnv().RABBITMQ_URL);
  url.username = `${name}_svc`;
  url.password = read(`${name.toUpperCase()}_BROKER_PASSWORD`, `${name}_broker_dev_password`);
  return url.toString();
}

/** The bootstrap admin `npm start` creates; dev-only defaults, overridden by ADMIN_USERNAME / ADMIN_PASSWORD. */
export function adminCredentials() {
  return {
    username: read('ADMIN_USERNAME', DEV_ADMIN.username),
    password: read('ADMIN_PASSWORD', DEV_ADMIN.password),
    // Either one set by the caller makes this login theirs rather than the default.
    fromEnv: Boolean(process.env.ADMIN_USERNAME || process.env.ADMIN_PASSWORD),
  };
}

/** The environment of one process. */
export function processEnv(proc) {
  const env = { ...process.env, ...commonEnv(), PORT: String(proc.port) };
  if (proc.adminPort) env.ADMIN_PORT = read('ADMIN_PORT', String(proc.adminPort));
  if (proc.schema) env.DATABASE_URL = runtimeUrl(proc.schema);
  env.RABBITMQ_URL = brokerUrl(proc.name);
  if (proc.name === 'users') {
    const admin = adminCredentials();
    env.ADMIN_USERNAME = admin.username;
    env.ADMIN_PASSWORD = admin.password;
  }
  if (proc.name === 'gateway') env.PORT = read('PORT', String(proc.port));
  return env;
}

/**
 * Where this machine reaches a process listening on `host`: the loopback when
 * it listens on every interface (or on the loopback), else `host` itself.
 */
export function urlOf(host, port) {
  if (['0.0.0.0', '127.0.0.1', 'localhost'].includes(host)) return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
