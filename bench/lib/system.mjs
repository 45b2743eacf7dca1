// The processes the bench measures — the four services and the gateway from their built
// dist/, the three floors (the plain Fastify baseline, the bare Nest process and an empty
// Node process) and nginx — on fixed ports, and the data every part needs: the admin's
// token, one item, a large stock.
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { infra } from './infra.mjs';
import { nginxConfig } from './nginx.mjs';
import { start, waitReady } from './procs.mjs';

export const PORTS = {
  users: 4101,
  items: 4102,
  orders: 4103,
  inventory: 4104,
  gateway: 4180,
  gatewayAdmin: 4181,
  bareNest: 4191, // not 4190: fetch refuses that port (ManageSieve)
  baseline: 4195,
  nginx: 4196,
};
export const SERVICES = ['users', 'items', 'orders', 'inventory'];
export const url = (port) => `http://127.0.0.1:${port}`;
const ADMIN = { username: 'admin', password: 'Admin123!dev' };

export async function assertPortsFree() {
  for (const port of Object.values(PORTS)) {
    const busy = await fetch(url(port)).then(
      () => true,
      () => false,
    );
    if (busy)
      throw new Error(`port ${port} is in use; the bench needs ports ${Object.values(PORTS).join(', ')}`);
  }
}

/**
 * Starts every process and waits until each is ready. `log(name)` names its log file,
 * `nodeArgs(name)` adds Node flags (the --profile run's). Resolves with `{ procs, nginxDir }`.
 */
export async function startSystem({ log, nodeArgs, tmp }) {
  const common = {
    ...process.env,
    LOG_LEVEL: 'info',
    REDIS_URL: 'redis://127.0.0.1:6379',
    USERS_URL: url(PORTS.users),
    ITEMS_URL: url(PORTS.items),
    ORDERS_URL: url(PORTS.orders),
    INVENTORY_URL: url(PORTS.inventory),
    JWT_ISSUER: 'http://localhost:8080',
    JWT_AUDIENCE: 'shop',
  };
  const node = (name, script, env) =>
    start(name, process.execPath, [...nodeArgs(name), script], {
      logFile: log(name),
      env: { ...common, ...env },
    });
  const procs = {};
  for (const svc of SERVICES) {
    procs[svc] = node(svc, `services/${svc}/dist/main.js`, {
      PORT: String(PORTS[svc]),
      DATABASE_URL: infra.runtimeUrl(svc),
      RABBITMQ_URL: infra.brokerUrl(svc),
      ...(svc === 'users' ? { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } : {}),
      REDIS_KEY_PREFIX: `bench:${svc}:`,
    });
  }
  procs.gateway = node('gateway', 'gateway/dist/main.js', {
    PORT: String(PORTS.gateway),
    ADMIN_PORT: String(PORTS.gatewayAdmin),
    RABBITMQ_URL: infra.brokerUrl('gateway'),
    REDIS_KEY_PREFIX: 'bench:gateway:',
    // The limiter stays on (its Redis lease is taken every 1% of the limit), but one
    // benchmark token must never be refused: the limit is set far above the load.
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  procs.baseline = start('baseline', process.execPath, ['bench/baseline/server.mjs'], {
    logFile: log('baseline'),
    env: {
      ...common,
      PORT: String(PORTS.baseline),
      DATABASE_URL: infra.runtimeUrl('items'),
      REDIS_KEY_PREFIX: 'bench:baseline:',
    },
  });
  procs['bare-nest'] = start('bare-nest', process.execPath, ['bench/baseline/bare-nest.mjs'], {
    logFile: log('bare-nest'),
    env: {
      ...process.env,
      PORT: String(PORTS.bareNest),
      DATABASE_URL: infra.runtimeUrl('items'),
      RABBITMQ_URL: infra.brokerUrl('items'),
    },
  });
  // What Node itself holds: the same binary, no module loaded, an event loop kept alive.
  procs['empty-node'] = start('empty-node', process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
    logFile: log('empty-node'),
  });
  for (const [name, port] of [
    ...SERVICES.map((s) => [s, PORTS[s]]),
    ['gateway', PORTS.gateway],
    ['baseline', PORTS.baseline],
    ['bare-nest', PORTS.bareNest],
  ])
    await waitReady(procs[name], `${url(port)}/health/ready`);

  const nginxDir = join(tmp, 'nginx');
  const nginxConf = nginxConfig(nginxDir, { port: PORTS.nginx, upstreamPort: PORTS.items });
  procs.nginx = start('nginx', '/usr/sbin/nginx', ['-p', nginxDir, '-c', nginxConf, '-g', 'daemon off;'], {
    logFile: log('nginx'),
  });
  await waitReady(procs.nginx, `${url(PORTS.nginx)}/health/live`);
  return { procs, nginxDir };
}

/** Logs in as the bootstrap admin, creates one item and stocks it: `{ token, auth, item }`. */
export async function seedData() {
  const tokenResponse = await fetch(`${url(PORTS.users)}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', ...ADMIN }),
  });
  if (!tokenResponse.ok)
    throw new Error(`login failed: ${tokenResponse.status} ${await tokenResponse.text()}`);
  const token = (await tokenResponse.json()).access_token;
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await fetch(`${url(PORTS.items)}/api/v1/items`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      name: 'Bench widget',
      description: 'measured, not sold',
      price: '12.50',
      tax: '2.38',
    }),
  });
  if (created.status !== 201) throw new Error(`item not created: ${created.status} ${await created.text()}`);
  const item = await created.json();
  let stocked;
  for (let attempt = 0; attempt < 100 && !stocked?.ok; attempt++) {
    if (attempt) await sleep(100); // the stock row comes with item.created
    stocked = await fetch(`${url(PORTS.inventory)}/api/v1/inventory/${item.id}/adjustments`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ delta: 1_000_000, reason: 'bench stock' }),
    });
  }
  if (!stocked.ok) throw new Error(`stock not set: ${stocked.status} ${await stocked.text()}`);
  return { token, auth, item };
}
