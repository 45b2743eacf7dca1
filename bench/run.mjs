// `npm run bench` (`-- --quick` for a short smoke run): the gateway's overhead on
// GET /api/v1/items/{id} beside three yardsticks, then the order saga's latency under an
// open-loop load, beside the Postgres and RabbitMQ floors. Prints the figures and rewrites
// the figures section of docs/performance.md. Every process, temp dir, database, vhost and
// Redis key it creates is removed at the end, on Ctrl-C and on failure.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { brokerFloor, postgresFloor } from './lib/floors.mjs';
import { hopBreakdown } from './lib/hops.mjs';
import * as infra from './lib/infra.mjs';
import { wrk } from './lib/load.mjs';
import { nginxConfig, nginxPids } from './lib/nginx.mjs';
import { cpuMeter, machineBusySeconds, onCleanup, ROOT, shutdown, start, waitReady } from './lib/procs.mjs';
import { summariseProfiles } from './lib/profile.mjs';
import { writeReport } from './lib/report.mjs';
import { openLoop, openPushes, percentiles, POLL_MS } from './lib/saga.mjs';

const quick = process.argv.includes('--quick');
// --profile: V8 CPU profiles of items, gateway and orders (kept; summarised at the end).
const profileDir = process.argv.includes('--profile')
  ? mkdtempSync(join(tmpdir(), 'shop-bench-profiles-'))
  : undefined;
const nodeArgs = (name) =>
  profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
const PLAN = quick
  ? { rounds: 1, seconds: 3, connections: 32, warmupSeconds: 2, rateSeconds: 4, floorCount: 100 }
  : { rounds: 5, seconds: 8, connections: 32, warmupSeconds: 5, rateSeconds: 12, floorCount: 500 };
const RATES = [10, 25, 50];
const PORTS = {
  users: 4101,
  items: 4102,
  orders: 4103,
  inventory: 4104,
  gateway: 4180,
  gatewayAdmin: 4181,
  baseline: 4195,
  nginx: 4196,
};
const url = (port) => `http://127.0.0.1:${port}`;
const step = (text) => console.log(`\x1b[1m▸ ${text}\x1b[0m`);
const TARGETS = {
  a: 'items service, direct',
  b: 'gateway → items',
  c: 'plain Fastify + pg baseline',
  d: 'nginx → items',
};

const tmp = mkdtempSync(join(tmpdir(), 'shop-bench-'));
onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
const log = (name) => join(tmp, `${name}.log`);

// ── infrastructure ────────────────────────────────────────────────────────────
step(`Database ${infra.DB} (bootstrap + migrations), broker vhost ${infra.VHOST}…`);
for (const port of Object.values(PORTS)) {
  const busy = await fetch(url(port)).then(
    () => true,
    () => false,
  );
  if (busy)
    throw new Error(`port ${port} is in use; the bench needs ports ${Object.values(PORTS).join(', ')}`);
}
onCleanup(() => infra.dropDatabase());
infra.setUpDatabase();
onCleanup(() => infra.dropBroker());
infra.setUpBroker();
onCleanup(() => console.log(`  removed ${infra.deleteRedisKeys('bench:*')} Redis keys (bench:*)`));

// ── processes ────────────────────────────────────────────────────────────────
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
const ADMIN = { username: 'admin', password: 'Admin123!dev' };
const services = ['users', 'items', 'orders', 'inventory'];
const procs = {};
step('Starting users, items, orders, inventory, gateway and the baseline…');
for (const svc of services) {
  procs[svc] = start(svc, process.execPath, [...nodeArgs(svc), `services/${svc}/dist/main.js`], {
    logFile: log(svc),
    env: {
      ...common,
      PORT: String(PORTS[svc]),
      DATABASE_URL: infra.runtimeUrl(svc),
      RABBITMQ_URL: infra.brokerUrl(svc),
      ...(svc === 'users' ? { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } : {}),
      ...(svc === 'items' ? { REDIS_KEY_PREFIX: 'bench:items:' } : {}),
    },
  });
}
procs.gateway = start('gateway', process.execPath, [...nodeArgs('gateway'), 'gateway/dist/main.js'], {
  logFile: log('gateway'),
  env: {
    ...common,
    PORT: String(PORTS.gateway),
    ADMIN_PORT: String(PORTS.gatewayAdmin),
    RABBITMQ_URL: infra.brokerUrl('gateway'),
    REDIS_KEY_PREFIX: 'bench:gateway:',
    // The limiter stays on (its Redis lease is taken every 1% of the limit), but one
    // benchmark token must never be refused: the limit is set far above the load.
    RATE_LIMIT_PER_MINUTE: '100000000',
  },
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
for (const [name, port] of [
  ...services.map((s) => [s, PORTS[s]]),
  ['gateway', PORTS.gateway],
  ['baseline', PORTS.baseline],
])
  await waitReady(procs[name], `${url(port)}/health/ready`);

const nginxDir = join(tmp, 'nginx');
const nginxConf = nginxConfig(nginxDir, { port: PORTS.nginx, upstreamPort: PORTS.items });
procs.nginx = start('nginx', '/usr/sbin/nginx', ['-p', nginxDir, '-c', nginxConf, '-g', 'daemon off;'], {
  logFile: log('nginx'),
});
await waitReady(procs.nginx, `${url(PORTS.nginx)}/health/live`);

// ── data: a token, one item, a large stock ──────────────────────────────────
step('Logging in as the bootstrap admin, creating one item and its stock…');
const tokenResponse = await fetch(`${url(PORTS.users)}/auth/token`, {
  method: 'POST',
  body: new URLSearchParams({ grant_type: 'password', ...ADMIN }),
});
if (!tokenResponse.ok) throw new Error(`login failed: ${tokenResponse.status} ${await tokenResponse.text()}`);
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

// ── Part A ───────────────────────────────────────────────────────────────────
const path = `/api/v1/items/${item.id}`;
const targetUrl = { a: url(PORTS.items), b: url(PORTS.gateway), c: url(PORTS.baseline), d: url(PORTS.nginx) };
step('Part A: checking every target answers 200 with the same item…');
const reference = JSON.stringify(item);
for (const [key, origin] of Object.entries(targetUrl)) {
  const response = await fetch(origin + path, {
    headers: { authorization: auth.authorization, 'accept-encoding': 'identity' },
  });
  const body = await response.text();
  if (response.status !== 200 || JSON.stringify(JSON.parse(body)) !== reference)
    throw new Error(`target (${key}) ${TARGETS[key]} answered ${response.status}: ${body}`);
}

const meter = cpuMeter({
  items: () => [procs.items.pid],
  gateway: () => [procs.gateway.pid],
  baseline: () => [procs.baseline.pid],
  nginx: () => nginxPids(nginxDir),
  redis: () => [infra.redisPid()],
  postgres: 'postgres',
});
const partA = Object.fromEntries(Object.keys(TARGETS).map((key) => [key, []]));
const order = Object.keys(TARGETS);
const totalRuns = PLAN.rounds * order.length;
step(
  `Part A: ${PLAN.rounds} rounds × 4 targets × ${PLAN.seconds} s, wrk -t1 -c${PLAN.connections} on loopback (≈${Math.ceil((totalRuns * (PLAN.seconds + 1)) / 60)} min)`,
);
let run = 0;
for (let round = 0; round < PLAN.rounds; round++) {
  const rotated = order.slice(round % order.length).concat(order.slice(0, round % order.length));
  for (const key of rotated) {
    run++;
    const before = meter.sample();
    const busyBefore = machineBusySeconds();
    const startedAt = performance.now();
    const result = await wrk(targetUrl[key] + path, {
      seconds: PLAN.seconds,
      connections: PLAN.connections,
      token,
    });
    const cpu = meter.delta(before, meter.sample());
    cpu.wrk = result.cpu;
    const measured = Object.entries(cpu).reduce((sum, [, seconds]) => sum + seconds, 0);
    // What the rest of the machine (other users' work, this script) used meanwhile, in cores.
    const outside = (machineBusySeconds() - busyBefore - measured) / ((performance.now() - startedAt) / 1000);
    if (result.non2xx || result.socketErrors)
      throw new Error(
        `(${key}) ${TARGETS[key]}: ${result.non2xx} non-2xx answers, ${result.socketErrors} socket errors — the figures are void.\n${result.raw}`,
      );
    partA[key].push({ ...result, cpu, outside });
    console.log(
      `  [${String(run).padStart(2)}/${totalRuns}] round ${round + 1} (${key}) ${TARGETS[key].padEnd(28)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms`,
    );
  }
}

// ── Part B ───────────────────────────────────────────────────────────────────
const gatewayOrigin = url(PORTS.gateway);
const pushes = await openPushes(gatewayOrigin, token);
if (pushes) onCleanup(() => pushes.close());
const sourceHasWs = existsSync(join(ROOT, 'gateway/src/ws'));
const sagaMode = pushes
  ? "the `order.confirmed` push on the owner's WebSocket (gateway /ws, one socket for the bench user)"
  : `REST polling of GET /api/v1/orders/{id} through the gateway every ${POLL_MS} ms, because the ${
      sourceHasWs ? 'built gateway (gateway/dist) does not serve /ws: rebuild it' : 'gateway has no /ws yet'
    }; each figure is an upper bound, late by up to one poll interval and one GET, and the polling loads the system`;
step(`Part B: outcome seen through ${sagaMode}`);
step(`Part B: floors (${PLAN.floorCount} Postgres commits, ${PLAN.floorCount} confirmed publish → consume)…`);
const floors = {
  postgres: await postgresFloor(infra.adminUrl, PLAN.floorCount),
  broker: await brokerFloor(infra.floorBrokerUrl, PLAN.floorCount),
};
const sagaMeter = cpuMeter({
  users: () => [procs.users.pid],
  items: () => [procs.items.pid],
  orders: () => [procs.orders.pid],
  inventory: () => [procs.inventory.pid],
  gateway: () => [procs.gateway.pid],
  'bench client': () => [process.pid],
  postgres: 'postgres',
  rabbitmq: 'beam.smp',
  redis: () => [infra.redisPid()],
});
step(`Part B: warm-up, ${PLAN.warmupSeconds} s at 10 orders/s…`);
const warm = await openLoop({
  gateway: gatewayOrigin,
  token,
  itemId: item.id,
  rate: 10,
  seconds: PLAN.warmupSeconds,
  pushes,
});
if (warm.failures.length)
  throw new Error(`warm-up: ${warm.failures.length} failed orders: ${warm.failures.slice(0, 3).join('; ')}`);
const saga = [];
for (const rate of RATES) {
  step(`Part B: ${rate} orders/s for ${PLAN.rateSeconds} s (open loop)…`);
  const before = sagaMeter.sample();
  const busyBefore = machineBusySeconds();
  const from = new Date();
  const result = await openLoop({
    gateway: gatewayOrigin,
    token,
    itemId: item.id,
    rate,
    seconds: PLAN.rateSeconds,
    pushes,
  });
  const cpu = sagaMeter.delta(before, sagaMeter.sample());
  const measured = Object.values(cpu).reduce((sum, seconds) => sum + seconds, 0);
  const outside = (machineBusySeconds() - busyBefore - measured) / ((Date.now() - from.getTime()) / 1000);
  const hops = await hopBreakdown(infra.adminUrl, from, new Date());
  if (result.failures.length)
    throw new Error(
      `${rate} orders/s: ${result.failures.length} of ${result.count} orders failed: ${result.failures.slice(0, 5).join('; ')}`,
    );
  const figures = percentiles(result.latencies);
  saga.push({
    rate,
    ...figures,
    placed: percentiles(result.placedAfter),
    maxSendLagMs: result.maxSendLagMs,
    cpu,
    hops,
    outside,
  });
  console.log(
    `  ${rate} orders/s: ${figures.n} confirmed, p50 ${figures.p50.toFixed(1)} ms  p95 ${figures.p95.toFixed(1)} ms  p99 ${figures.p99.toFixed(1)} ms  max ${figures.max.toFixed(1)} ms (201 received: p50 ${percentiles(result.placedAfter).p50.toFixed(1)} ms)`,
  );
}

// ── report ───────────────────────────────────────────────────────────────────
const machine = {
  cores: cpus().length,
  cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model,
  node: process.version,
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
};
const ok = writeReport({
  machine,
  plan: PLAN,
  quick,
  targets: TARGETS,
  partA,
  saga,
  floors,
  sagaMode,
  polled: !pushes,
  write: !quick && !profileDir,
});
console.log(ok ? '\nAll targets met.' : '\nSome targets missed (see MISS above).');
if (profileDir) {
  onCleanup(() => {
    for (const { file, total, top } of summariseProfiles(profileDir)) {
      console.log(
        `\nCPU profile ${file} (${total} samples, whole run): ${top.map(([owner, pct]) => `${owner} ${pct.toFixed(1)}%`).join(', ')}`,
      );
    }
    console.log(`Profiles kept in ${profileDir} (open them in Chrome DevTools).`);
  });
}
await shutdown(0);
