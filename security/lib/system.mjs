// The processes the suite attacks: the four services and the gateway from their built dist/,
// on ports 4301-4304 and 4380/4381, against the suite's own database, vhost and Redis prefix.
// Shaped like bench/lib/system.mjs; the processes are started with bench/lib/procs.mjs.
import { join } from 'node:path';
import { start, waitReady } from '../../bench/lib/procs.mjs';
import { infraFor, SERVICES } from './infra.mjs';

export const infra = infraFor({ db: 'shop_security', vhost: 'shop_security', prefix: 'security:' });
export const PORTS = {
  users: 4301,
  items: 4302,
  orders: 4303,
  inventory: 4304,
  gateway: 4380,
  gatewayAdmin: 4381,
};
export { SERVICES };
export const url = (port) => `http://127.0.0.1:${port}`;
export const GATEWAY = url(PORTS.gateway);
export const ADMIN = { username: 'secadmin', password: 'Sec-Admin-123!pw' };
export const JWT = { issuer: 'http://localhost:4380', audience: 'shop' };
/** Every process the suite starts, by name → its base URL. */
export const ORIGINS = Object.fromEntries([...SERVICES, 'gateway'].map((name) => [name, url(PORTS[name])]));

export async function assertPortsFree() {
  for (const port of Object.values(PORTS)) {
    const busy = await fetch(url(port)).then(
      () => true,
      () => false,
    );
    if (busy)
      throw new Error(`port ${port} is in use; the suite needs ports ${Object.values(PORTS).join(', ')}`);
  }
}

/** The environment of one service, also what its command lines (key rotation) need. */
export function serviceEnv(svc) {
  return {
    ...process.env,
    HOST: '127.0.0.1',
    // The most talkative level: the storage check reads every line for secrets.
    LOG_LEVEL: 'trace',
    REDIS_URL: 'redis://127.0.0.1:6379',
    USERS_URL: url(PORTS.users),
    ITEMS_URL: url(PORTS.items),
    ORDERS_URL: url(PORTS.orders),
    INVENTORY_URL: url(PORTS.inventory),
    JWT_ISSUER: JWT.issuer,
    JWT_AUDIENCE: JWT.audience,
    PORT: String(PORTS[svc]),
    DATABASE_URL: infra.runtimeUrl(svc),
    RABBITMQ_URL: infra.brokerUrl(svc),
    ...(svc === 'users' ? { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } : {}),
    // Every process under the suite's prefix, so the deny-list they share is the suite's own.
    REDIS_KEY_PREFIX: `${infra.prefix}${svc}:`,
  };
}

/** Starts every process and waits until each is ready; resolves with `{ name: child }`. */
export async function startSystem(tmp) {
  const procs = {};
  const log = (name) => join(tmp, `${name}.log`);
  for (const svc of SERVICES)
    procs[svc] = start(svc, process.execPath, [`services/${svc}/dist/main.js`], {
      logFile: log(svc),
      env: serviceEnv(svc),
    });
  const common = serviceEnv('gateway');
  delete common.DATABASE_URL; // the gateway has no database
  procs.gateway = start('gateway', process.execPath, ['gateway/dist/main.js'], {
    logFile: log('gateway'),
    env: {
      ...common,
      ADMIN_PORT: String(PORTS.gatewayAdmin),
      RABBITMQ_URL: infra.brokerUrl('gateway'),
      REDIS_KEY_PREFIX: `${infra.prefix}gateway:`,
      CORS_ORIGINS: 'http://localhost:4380',
      // Fuzzing and sqlmap send thousands of requests with one token: the limiters stay on,
      // far above that load, so every answer is the operation's own.
      RATE_LIMIT_PER_MINUTE: '10000000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000000',
    },
  });
  for (const name of Object.keys(procs)) await waitReady(procs[name], `${ORIGINS[name]}/health/ready`);
  return procs;
}

/** Every process still answers /health/ready: the names of those that do not. */
export async function unhealthy() {
  const down = [];
  for (const [name, origin] of Object.entries(ORIGINS)) {
    const ok = await fetch(`${origin}/health/ready`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok) down.push(name);
  }
  return down;
}
