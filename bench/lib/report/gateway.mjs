// Part A of the report: the cached item read through each target, its CPU per request, and
// the throughput ratios the goals are judged on.
import { median } from '../stats.mjs';
import { spread, table } from './markdown.mjs';

export const RATIOS = [
  ['b', 'd', 'gateway / nginx-proxied'],
  ['b', 'a', 'gateway / direct'],
  ['a', 'c', 'items / plain Fastify floor'],
];

/** Median req/s ratios: `{ 'b/d': 0.63, … }`. */
export function gatewayRatios(partA) {
  const rps = (key) => median(partA[key].map((run) => run.rps));
  return Object.fromEntries(RATIOS.map(([num, den]) => [`${num}/${den}`, rps(num) / rps(den)]));
}

function throughputTable(partA, targets) {
  const rows = Object.entries(targets).map(([key, name]) => {
    const runs = partA[key];
    const column = (pick, digits) => {
      const values = runs.map(pick);
      return `${median(values).toFixed(digits)}${spread(values, digits)}`;
    };
    const non2xx = runs.reduce((total, run) => total + run.non2xx, 0);
    return [
      `(${key}) ${name}`,
      column((r) => r.rps, 0),
      column((r) => r.p50, 2),
      column((r) => r.p99, 2),
      non2xx,
    ];
  });
  return table(
    [
      ['Target', 'l'],
      ['req/s', 'r'],
      ['p50 ms', 'r'],
      ['p99 ms', 'r'],
      ['non-2xx', 'r'],
    ],
    rows,
  );
}

function cpuTable(partA, targets) {
  const processes = [...new Set(Object.values(partA).flatMap((runs) => Object.keys(runs[0].cpu)))];
  const rows = Object.entries(targets).map(([key, name]) => {
    const per = processes.map((p) => median(partA[key].map((run) => (run.cpu[p] / run.requests) * 1e6)));
    const total = per.reduce((sum, value) => sum + value, 0);
    return [
      `(${key}) ${name}`,
      ...per.map((value) => (value >= 1 ? value.toFixed(0) : '·')),
      total.toFixed(0),
    ];
  });
  return table([['Target', 'l'], ...processes.map((p) => [p, 'r']), ['total', 'r']], rows);
}

export function gatewaySection({ plan, machine, targets, partA }) {
  const outside = Object.values(partA)
    .flat()
    .map((run) => run.outside);
  const ratios = gatewayRatios(partA);
  return [
    '### Part A: GET /api/v1/items/{id} (cached item, valid token)',
    `${plan.rounds} interleaved round(s) × 4 targets × ${plan.seconds} s, \`wrk -t1 -c${plan.connections}\` on loopback; medians over rounds (min–max in brackets).`,
    throughputTable(partA, targets),
    `CPU time per request, µs (median over rounds; a process below 1 µs/request is left out; postgres is the backends of the bench's database; wrk is the load generator, on the same ${machine.cores} cores):`,
    cpuTable(partA, targets),
    `Other work on the machine during Part A (everything the columns do not count, the bench script included): median ${median(outside).toFixed(2)} of ${machine.cores} cores (${Math.min(...outside).toFixed(2)}–${Math.max(...outside).toFixed(2)}).`,
    table(
      [
        ['Ratio of median req/s', 'l'],
        ['value', 'r'],
      ],
      RATIOS.map(([num, den, label]) => [`(${num})/(${den}) ${label}`, ratios[`${num}/${den}`].toFixed(2)]),
    ),
  ];
}
