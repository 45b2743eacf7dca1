// `npm run bench` (`-- --quick` for a short smoke run, `-- --profile` for V8 CPU profiles):
//   Part A  the gateway's overhead on GET /api/v1/items/{id} beside three yardsticks;
//   Part B  the order saga under an open-loop load at four rates, hop by hop, beside the
//           Postgres and RabbitMQ floors measured in the same run;
//   memory  every process's resident set at idle, after the load and settled, beside a bare
//           Nest and an empty Node process;
//   Part C  the event bus at saturation beside plain amqplib;
// then the goals of issue 9, MET or MISS. Prints the figures and, after a full run, rewrites
// the figures section of docs/performance.md. Every process, temp dir, database, vhost and
// Redis key it creates is removed at the end, on Ctrl-C and on failure.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ackThenPublishFloor, publishFloor } from './lib/amqp-floors.mjs';
import { busThroughput } from './lib/bus.mjs';
import { cpuMeter, machineBusySeconds, pidsOfName } from './lib/cpu.mjs';
import { hopBreakdown, hopFloors } from './lib/hops.mjs';
import { infra, redisPid, waitForEmptyOutboxes } from './lib/infra.mjs';
import { wrk } from './lib/load.mjs';
import { memorySnapshot } from './lib/memory.mjs';
import { nginxPids } from './lib/nginx.mjs';
import { progress, step } from './lib/output.mjs';
import { postgresFloors } from './lib/pg-floors.mjs';
import { postgresBackends } from './lib/postgres-backends.mjs';
import { onCleanup, ROOT, shutdown } from './lib/procs.mjs';
import { summariseProfiles } from './lib/profile.mjs';
import { writeReport } from './lib/report.mjs';
import { num } from './lib/report/markdown.mjs';
import { percentiles } from './lib/stats.mjs';
import { openLoop, openPushes, POLL_MS } from './lib/saga.mjs';
import { assertPortsFree, PORTS, seedData, SERVICES, startSystem, url } from './lib/system.mjs';

const quick = process.argv.includes('--quick');
// --profile: V8 CPU profiles of every Node process (kept; summarised at the end).
const profileDir = process.argv.includes('--profile')
  ? mkdtempSync(join(tmpdir(), 'shop-bench-profiles-'))
  : undefined;
const nodeArgs = (name) =>
  profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
const PLAN = quick
  ? { rounds: 1, seconds: 3, connections: 32, warmupSeconds: 2, rateSeconds: 4, floorCount: 100 }
  : { rounds: 5, seconds: 8, connections: 32, warmupSeconds: 5, rateSeconds: 12, floorCount: 500 };
Object.assign(
  PLAN,
  quick
    ? { nagleCount: 30, settleSeconds: 3, busEvents: 1000, busRounds: 1 }
    : { nagleCount: 100, settleSeconds: 5, busEvents: 5000, busRounds: 3 },
);
const RATES = [10, 25, 50, 100];
const SAGA_TIMEOUT_MS = 20_000;
const TARGETS = {
  a: 'items service, direct',
  b: 'gateway → items',
  c: 'plain Fastify + pg baseline',
  d: 'nginx → items',
};

const tmp = mkdtempSync(join(tmpdir(), 'shop-bench-'));
onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
const log = (name) => join(tmp, `${name}.log`);

// ── infrastructure, processes, data ──────────────────────────────────────────
step(`Database ${infra.db} (bootstrap + migrations), broker vhost ${infra.vhost}…`);
await assertPortsFree();
onCleanup(() => infra.dropDatabase());
await infra.setUpDatabase();
onCleanup(() => infra.dropBroker());
await infra.setUpBroker({ guest: true }); // the floors' own queues
onCleanup(async () =>
  console.log(`  removed ${await infra.deleteRedisKeys()} Redis keys (${infra.prefix}*)`),
);

step('Starting users, items, orders, inventory, gateway, the three floors and nginx…');
const { procs, nginxDir } = await startSystem({ log, nodeArgs, tmp });
step('Logging in as the bootstrap admin, creating one item and its stock…');
const { token, auth, item } = await seedData();

// What the CPU columns count: each process the bench started, the backends of the bench's
// database (re-read as pools connect), the one broker process and Redis.
const backends = await postgresBackends(infra.maintenanceUrl, infra.db);
onCleanup(() => backends.close());
const brokerPids = pidsOfName('beam.smp');
const redisPids = [await redisPid()];
const pidOf = (name) => () => [procs[name].pid];

const memoryPids = Object.fromEntries(
  [...SERVICES, 'gateway', 'bare-nest', 'baseline', 'empty-node'].map((name) => [name, procs[name].pid]),
);
step(`Memory at idle, after ${PLAN.settleSeconds} s…`);
await sleep(PLAN.settleSeconds * 1000);
const memory = { settleSeconds: PLAN.settleSeconds, idle: memorySnapshot(memoryPids) };

// ── Part A ───────────────────────────────────────────────────────────────────
async function partA() {
  const path = `/api/v1/items/${item.id}`;
  const targetUrl = {
    a: url(PORTS.items),
    b: url(PORTS.gateway),
    c: url(PORTS.baseline),
    d: url(PORTS.nginx),
  };
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

  // Each target gets the same warm-up first, so no round measures a cold JIT or empty caches.
  step(`Part A: warm-up, ${PLAN.warmupSeconds} s per target…`);
  for (const key of Object.keys(TARGETS)) {
    await wrk(targetUrl[key] + path, { seconds: PLAN.warmupSeconds, connections: PLAN.connections, token });
  }

  const meter = cpuMeter({
    items: pidOf('items'),
    gateway: pidOf('gateway'),
    baseline: pidOf('baseline'),
    nginx: () => nginxPids(nginxDir),
    redis: () => redisPids,
    postgres: backends.ofDatabase,
  });
  const results = Object.fromEntries(Object.keys(TARGETS).map((key) => [key, []]));
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
      const before = await meter.sample();
      const busyBefore = machineBusySeconds();
      const startedAt = performance.now();
      const result = await wrk(targetUrl[key] + path, {
        seconds: PLAN.seconds,
        connections: PLAN.connections,
        token,
      });
      const cpu = meter.delta(before, await meter.sample());
      cpu.wrk = result.cpu;
      const measured = Object.values(cpu).reduce((sum, seconds) => sum + seconds, 0);
      // What the rest of the machine (other users' work, this script) used meanwhile, in cores.
      const outside =
        (machineBusySeconds() - busyBefore - measured) / ((performance.now() - startedAt) / 1000);
      if (result.non2xx || result.socketErrors)
        throw new Error(
          `(${key}) ${TARGETS[key]}: ${result.non2xx} non-2xx answers, ${result.socketErrors} socket errors — the figures are void.\n${result.raw}`,
        );
      results[key].push({ ...result, cpu, outside });
      progress(
        `[${String(run).padStart(2)}/${totalRuns}] round ${round + 1} (${key}) ${TARGETS[key].padEnd(28)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms`,
      );
    }
  }
  meter.stop();
  return results;
}

// ── Part B ───────────────────────────────────────────────────────────────────
async function floors() {
  step(
    `Part B: floors (${PLAN.floorCount} of each Postgres and RabbitMQ round trip, ${PLAN.nagleCount} ack-then-publish without noDelay)…`,
  );
  const pg = await postgresFloors(infra.adminUrl, PLAN.floorCount);
  progress(
    `Postgres: commit p50 ${pg.commit.p50.toFixed(2)} ms, NOTIFY wake-up p50 ${pg.notify.p50.toFixed(2)} ms`,
  );
  const { confirm, deliver, gap } = await publishFloor(infra.guestBrokerUrl, PLAN.floorCount);
  const ackThenPublish = await ackThenPublishFloor(infra.guestBrokerUrl, PLAN.floorCount, { noDelay: true });
  const ackThenPublishNagle = await ackThenPublishFloor(infra.guestBrokerUrl, PLAN.nagleCount, {
    noDelay: false,
  });
  progress(
    `RabbitMQ: publish → confirm p50 ${confirm.p50.toFixed(2)} ms; ack then publish → confirm p50 ${ackThenPublish.p50.toFixed(2)} ms with noDelay, ${ackThenPublishNagle.p50.toFixed(2)} ms without`,
  );
  return { ...pg, confirm, deliver, confirmToDeliver: gap, ackThenPublish, ackThenPublishNagle };
}

async function partB(pushes) {
  const measured = await floors();
  const meter = cpuMeter({
    users: pidOf('users'),
    items: pidOf('items'),
    orders: pidOf('orders'),
    inventory: pidOf('inventory'),
    gateway: pidOf('gateway'),
    'bench client': () => [process.pid],
    postgres: backends.ofDatabase,
    rabbitmq: () => brokerPids,
    redis: () => redisPids,
    sharedPostgres: backends.sharedBackground,
  });
  const load = (rate, seconds) =>
    openLoop({
      gateway: url(PORTS.gateway),
      token,
      itemId: item.id,
      rate,
      seconds,
      pushes,
      timeoutMs: SAGA_TIMEOUT_MS,
    });
  step(`Part B: warm-up, ${PLAN.warmupSeconds} s at 10 orders/s…`);
  const warm = await load(10, PLAN.warmupSeconds);
  if (warm.failures.length)
    throw new Error(
      `warm-up: ${warm.failures.length} failed orders: ${warm.failures.slice(0, 3).join('; ')}`,
    );
  const saga = [];
  for (const rate of RATES) {
    step(`Part B: ${rate} orders/s for ${PLAN.rateSeconds} s (open loop)…`);
    const before = await meter.sample();
    const busyBefore = machineBusySeconds();
    const startedAt = performance.now();
    const result = await load(rate, PLAN.rateSeconds);
    const { sharedPostgres, ...cpu } = meter.delta(before, await meter.sample());
    const seconds = (performance.now() - startedAt) / 1000;
    const outside =
      (machineBusySeconds() - busyBefore - Object.values(cpu).reduce((a, b) => a + b, 0)) / seconds;
    if (result.failures.length)
      throw new Error(
        `${rate} orders/s: ${result.failures.length} of ${result.count} orders failed: ${result.failures.slice(0, 5).join('; ')}`,
      );
    const latency = percentiles(result.orders.map((o) => o.latencyMs));
    const timedOut = result.orders.filter((o) => o.latencyMs === Infinity).length;
    saga.push({
      rate,
      orders: result.orders.length,
      latency,
      timedOut,
      timeoutMs: SAGA_TIMEOUT_MS,
      placed: percentiles(result.orders.map((o) => o.placedMs)),
      cpu,
      seconds,
      outside,
      sharedPostgres: sharedPostgres / seconds,
      hops: await hopBreakdown(infra.adminUrl, result.orders),
    });
    const ms = (p) => num(latency[p], 1, { limit: `${SAGA_TIMEOUT_MS / 1000} s` });
    progress(
      `${rate} orders/s: ${latency.n - timedOut} confirmed${timedOut ? `, ${timedOut} timed out` : ''}; p50 ${ms('p50')} ms  p95 ${ms('p95')} ms  p99 ${ms('p99')} ms  max ${ms('max')} ms`,
    );
  }
  meter.stop();
  return { saga, floors: measured };
}

// ── Part C ───────────────────────────────────────────────────────────────────
async function partC() {
  step(
    `Part C: the event bus at saturation, ${PLAN.busRounds} round(s) × ${PLAN.busEvents} events, plain amqplib and the bus…`,
  );
  return busThroughput({
    adminUrl: infra.adminUrl,
    brokerUrl: infra.guestBrokerUrl,
    logFile: log('event-bus'),
    count: PLAN.busEvents,
    rounds: PLAN.busRounds,
    meterFor: (workerPid) =>
      cpuMeter({ worker: () => [workerPid], postgres: backends.ofDatabase, rabbitmq: () => brokerPids }),
  });
}

// ── the run ──────────────────────────────────────────────────────────────────
const partAResults = await partA();
const pushes = await openPushes(url(PORTS.gateway), token);
if (pushes) onCleanup(() => pushes.close());
const sourceHasWs = existsSync(join(ROOT, 'gateway/src/ws'));
const sagaMode = pushes
  ? "the `order.confirmed` push on the owner's WebSocket (gateway /ws, one socket for the bench user)"
  : `REST polling of GET /api/v1/orders/{id} through the gateway every ${POLL_MS} ms, because the ${
      sourceHasWs ? 'built gateway (gateway/dist) does not serve /ws: rebuild it' : 'gateway has no /ws yet'
    }; each figure is an upper bound, late by up to one poll interval and one GET, and the polling loads the system`;
step(`Part B: outcome seen through ${sagaMode}`);
const { saga, floors: measuredFloors } = await partB(pushes);
memory.loaded = memorySnapshot(memoryPids);
const loadEnded = Date.now();
if (!(await waitForEmptyOutboxes(['orders', 'inventory'])))
  progress('the outboxes still hold events 30 s after the saga; Part C shares the machine with them');
const bus = await partC();
// The services sat idle through Part C (its own processes): what they hold once V8 has had
// time to collect and give pages back.
memory.settled = memorySnapshot(memoryPids);
memory.settledAfterSeconds = Math.round((Date.now() - loadEnded) / 1000);

const machine = {
  cores: cpus().length,
  cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model,
  node: process.version,
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
};
const met = writeReport({
  machine,
  plan: PLAN,
  quick,
  targets: TARGETS,
  partA: partAResults,
  saga,
  floors: measuredFloors,
  hopFloors: hopFloors(measuredFloors),
  sagaMode,
  polled: !pushes,
  memory,
  bus,
  write: !quick && !profileDir,
});
console.log(met ? '\nAll goals met.' : '\nSome goals missed (see MISS above).');
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
