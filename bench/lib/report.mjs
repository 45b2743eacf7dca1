// Turns the measurements into the printed summary and the figures section of docs/performance.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOPS } from './hops.mjs';
import { ROOT } from './procs.mjs';

const START = '<!-- bench:figures:start (written by npm run bench; edits here are overwritten) -->';
const END = '<!-- bench:figures:end -->';
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values, digits) =>
  values.length > 1 ? ` (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : '';

/** Ratios the issue sets, each `numerator / denominator ≥ target` on median req/s. */
const RATIO_TARGETS = [
  ['b', 'a', 0.5, 'gateway / direct'],
  ['b', 'd', 0.7, 'gateway / nginx'],
  ['a', 'c', 0.8, 'items / plain Fastify'],
];
const SAGA_P99_TARGET_MS = 50;

export function writeReport({ machine, plan, quick, targets, partA, saga, floors, sagaMode, polled, write }) {
  const lines = [];
  const out = (line = '') => lines.push(line);
  const summary = {};
  out(
    `Machine: ${machine.cores} cores, ${machine.cpu}; Node ${machine.node}; ${machine.date}${quick ? ' — --quick run, indicative only' : ''}.`,
  );
  out();
  out(`### Part A: GET /api/v1/items/{id} (cached item, valid token)`);
  out();
  out(
    `${plan.rounds} interleaved round(s) × 4 targets × ${plan.seconds} s, \`wrk -t1 -c${plan.connections}\` on loopback; medians over rounds (min–max in brackets).`,
  );
  out();
  out('| Target | req/s | p50 ms | p99 ms | non-2xx |');
  out('|---|---:|---:|---:|---:|');
  for (const [key, name] of Object.entries(targets)) {
    const runs = partA[key];
    const rps = runs.map((r) => r.rps);
    const p50 = runs.map((r) => r.p50);
    const p99 = runs.map((r) => r.p99);
    summary[key] = median(rps);
    out(
      `| (${key}) ${name} | ${median(rps).toFixed(0)}${spread(rps, 0)} | ${median(p50).toFixed(2)}${spread(p50, 2)} | ${median(p99).toFixed(2)}${spread(p99, 2)} | ${runs.reduce((s, r) => s + r.non2xx, 0)} |`,
    );
  }
  out();
  out(
    'CPU time per request, µs (median over rounds; a process below 1 µs/request is left out; wrk is the load generator, on the same 2 cores):',
  );
  out();
  const processes = [...new Set(Object.values(partA).flatMap((runs) => Object.keys(runs[0].cpu)))];
  out(`| Target | ${processes.join(' | ')} | total |`);
  out(`|---|${processes.map(() => '---:').join('|')}|---:|`);
  for (const [key, name] of Object.entries(targets)) {
    const per = Object.fromEntries(
      processes.map((p) => [p, median(partA[key].map((r) => (r.cpu[p] / r.requests) * 1e6))]),
    );
    const total = Object.values(per).reduce((s, v) => s + v, 0);
    out(
      `| (${key}) ${name} | ${processes.map((p) => (per[p] >= 1 ? per[p].toFixed(0) : '·')).join(' | ')} | ${total.toFixed(0)} |`,
    );
  }
  out();
  const outsideA = Object.values(partA)
    .flat()
    .map((r) => r.outside);
  out(
    `Other work on the machine during Part A (processes the bench did not start, and the bench script itself): median ${median(outsideA).toFixed(2)} of ${machine.cores} cores (${Math.min(...outsideA).toFixed(2)}–${Math.max(...outsideA).toFixed(2)}).`,
  );
  out();
  out('| Ratio (median req/s) | value | target | |');
  out('|---|---:|---:|---|');
  let allMet = true;
  for (const [num, den, target, label] of RATIO_TARGETS) {
    const value = summary[num] / summary[den];
    const met = value >= target;
    allMet &&= met;
    out(`| (${num})/(${den}) ${label} | ${value.toFixed(2)} | ≥ ${target} | ${met ? 'PASS' : 'MISS'} |`);
  }
  out();
  out(`### Part B: the saga, order placed → CONFIRMED seen by the client`);
  out();
  out(
    `Open loop (sends at fixed scheduled times, never waiting for answers), latency from each order's scheduled send time to ${sagaMode}.`,
  );
  out();
  out('| orders/s | orders | p50 ms | p95 ms | p99 ms | max ms | p99 target | | 201 received p50 / p99 ms |');
  out('|---:|---:|---:|---:|---:|---:|---:|---|---:|');
  for (const s of saga) {
    const met = s.rate !== 50 || s.p99 <= SAGA_P99_TARGET_MS;
    if (s.rate === 50) allMet &&= met;
    out(
      `| ${s.rate} | ${s.n} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} | ${s.rate === 50 ? `≤ ${SAGA_P99_TARGET_MS}` : ''} | ${s.rate === 50 ? (met ? 'PASS' : 'MISS') : ''} | ${s.placed.p50.toFixed(1)} / ${s.placed.p99.toFixed(1)} |`,
    );
  }
  out();
  out(`CPU time per order, ms, by process${polled ? " (includes the client's polling GETs)" : ''}:`);
  out();
  const sagaProcesses = Object.keys(saga[0].cpu);
  out(`| orders/s | ${sagaProcesses.join(' | ')} |`);
  out(`|---:|${sagaProcesses.map(() => '---:').join('|')}|`);
  for (const s of saga)
    out(`| ${s.rate} | ${sagaProcesses.map((p) => ((s.cpu[p] / s.n) * 1000).toFixed(2)).join(' | ')} |`);
  out();
  out(
    `Other work on the machine during Part B (not the bench's processes, Postgres, RabbitMQ or Redis): ${saga.map((s) => `${s.outside.toFixed(2)} cores at ${s.rate}/s`).join(', ')}.`,
  );
  out();
  out(
    "Where the time goes between the services (from the outbox and inbox timestamps; p50 / p99 ms; the rest of the total is the POST before the commit and the gateway's push):",
  );
  out();
  out(`| Hop | ${saga.map((s) => `${s.rate}/s`).join(' | ')} |`);
  out(`|---|${saga.map(() => '---:').join('|')}|`);
  for (const [hop, label] of HOPS)
    out(
      `| ${label} | ${saga.map((s) => `${Number(s.hops[`${hop}_p50`]).toFixed(1)} / ${Number(s.hops[`${hop}_p99`]).toFixed(1)}`).join(' | ')} |`,
    );
  out(`| (orders matched) | ${saga.map((s) => s.hops.n).join(' | ')} |`);
  out();
  out('Floors, one at a time on an idle system:');
  out();
  out('| Round trip | p50 ms | p99 ms |');
  out('|---|---:|---:|');
  out(
    `| Postgres BEGIN + INSERT + COMMIT (3 round trips, one WAL flush) | ${floors.postgres.p50.toFixed(2)} | ${floors.postgres.p99.toFixed(2)} |`,
  );
  out(
    `| RabbitMQ persistent publish → confirm (quorum queue) | ${floors.broker.confirm.p50.toFixed(2)} | ${floors.broker.confirm.p99.toFixed(2)} |`,
  );
  out(
    `| RabbitMQ persistent publish → delivered to a consumer | ${floors.broker.roundTrip.p50.toFixed(2)} | ${floors.broker.roundTrip.p99.toFixed(2)} |`,
  );

  const section = lines.join('\n');
  console.log(`\n${section}\n`);

  if (!write) {
    console.log('Not written to docs/performance.md: only a full run without --profile is.');
    return allMet;
  }
  const file = join(ROOT, 'docs/performance.md');
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : `# Performance\n\n## Figures\n\n${START}\n${END}\n`;
  const at = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    at >= 0 && end > at
      ? `${current.slice(0, at + START.length)}\n${section}\n${current.slice(end)}`
      : `${current.trimEnd()}\n\n## Figures\n\n${START}\n${section}\n${END}\n`;
  writeFileSync(file, next);
  // The page stays as `npm run lint` wants it (Prettier aligns the tables).
  execFileSync(join(ROOT, 'node_modules/.bin/prettier'), ['--write', '--log-level', 'warn', file], {
    stdio: 'inherit',
  });
  console.log('Figures written to docs/performance.md.');
  return allMet;
}
