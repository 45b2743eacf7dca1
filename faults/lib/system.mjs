// The system under test: users and items once, orders and inventory twice (competing
// consumers on one queue, two relays on one outbox, two expiry jobs), each pair behind a
// readiness-aware balancer, and two gateways. Every process reaches RabbitMQ through a
// fault proxy of its service's own, so the suite can cut the broker for its processes only.
import { startFaultProxy } from '../../shared/dist/testing/index.js';
import { startBalancer } from './balancer.mjs';
import { infra } from './infra.mjs';
import * as supervisor from './supervisor.mjs';

export const PORTS = {
  users: 4201,
  items: 4202,
  orders: 4203, // the balancer
  inventory: 4204, // the balancer
  'orders-1': 4211,
  'orders-2': 4212,
  'inventory-1': 4231, // not 4222: NATS' default port, often taken
  'inventory-2': 4232,
  'gateway-a': 4241,
  'gateway-a-admin': 4242,
  'gateway-b': 4251,
  'gateway-b-admin': 4252,
};
export const url = (name) => `http://127.0.0.1:${PORTS[name]}`;
export const GATEWAYS = ['gateway-a', 'gateway-b'];
export const ADMIN = { username: 'admin', password: 'Admin123!dev' };
export const SERVICE_OF = (name) => name.replace(/-(\d|a|b)$/, '');

/** Every broker proxy, by service: `cutAll()` + `pause()` is the broker gone for that service. */
export const proxies = {};

export async function startSystem({ logDir, expiryInterval, pendingTtl }) {
  for (const svc of ['users', 'items', 'orders', 'inventory', 'gateway']) {
    proxies[svc] = await startFaultProxy({ target: { host: '127.0.0.1', port: 5672 } });
    supervisor.onRestore(() => proxies[svc].close());
  }
  const common = {
    ...process.env,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    REDIS_URL: 'redis://127.0.0.1:6379',
    USERS_URL: url('users'),
    ITEMS_URL: url('items'),
    ORDERS_URL: url('orders'),
    INVENTORY_URL: url('inventory'),
    JWT_ISSUER: 'http://localhost:8080',
    JWT_AUDIENCE: 'shop',
  };
  const service = (name, extra = {}) => {
    const svc = SERVICE_OF(name);
    supervisor.define(name, {
      script: `services/${svc}/dist/main.js`,
      port: PORTS[name],
      logDir,
      env: {
        ...common,
        PORT: String(PORTS[name]),
        DATABASE_URL: infra.runtimeUrl(svc),
        RABBITMQ_URL: infra.brokerUrl(svc, proxies[svc].port),
        // Every process under the suite's prefix, so the deny-list they share is the suite's own.
        REDIS_KEY_PREFIX: `${infra.prefix}${svc}:`,
        ...extra,
      },
    });
  };
  service('users', { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password });
  service('items');
  for (const name of ['orders-1', 'orders-2'])
    service(name, { ORDER_EXPIRY_INTERVAL: expiryInterval, ORDER_PENDING_TTL: pendingTtl });
  for (const name of ['inventory-1', 'inventory-2']) service(name);
  for (const name of GATEWAYS)
    supervisor.define(name, {
      script: 'gateway/dist/main.js',
      port: PORTS[name],
      logDir,
      env: {
        ...common,
        PORT: String(PORTS[name]),
        ADMIN_PORT: String(PORTS[`${name}-admin`]),
        RABBITMQ_URL: infra.brokerUrl('gateway', proxies.gateway.port),
        REDIS_KEY_PREFIX: `${infra.prefix}gateway:`,
        // Many customers share 127.0.0.1: only the per-token limit applies, far above the load.
        RATE_LIMIT_PER_MINUTE: '100000',
        LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      },
    });
  for (const [svc, replicas] of [
    ['orders', ['orders-1', 'orders-2']],
    ['inventory', ['inventory-1', 'inventory-2']],
  ]) {
    const balancer = await startBalancer({ port: PORTS[svc], backends: replicas.map((r) => PORTS[r]) });
    supervisor.onRestore(() => balancer.close());
  }
  // users first: the others fetch its JWKS; then the rest at once, to save the start-up time.
  supervisor.start('users');
  await supervisor.waitReady('users');
  const rest = supervisor.names().filter((name) => name !== 'users');
  for (const name of rest) supervisor.start(name);
  await Promise.all(rest.map((name) => supervisor.waitReady(name, 90_000)));
}

/** The process names a fault can pick: one of each kind. */
export const REPLICAS = {
  orders: ['orders-1', 'orders-2'],
  inventory: ['inventory-1', 'inventory-2'],
  gateway: GATEWAYS,
};
