// The footprint part of the report: each process's resident memory at idle, after the load
// and settled, beside the floors of a bare Nest process and an empty Node process measured in
// the same run, with the part of each that is the node binary's pages.
import { num, table } from './markdown.mjs';

export const MEMORY_GOAL_MB = 100;
export const SYSTEM_PROCESSES = ['users', 'items', 'orders', 'inventory', 'gateway'];
export const MEMORY_FLOORS = {
  'bare-nest': 'floor: bare Nest + Fastify + TypeORM + amqplib (bench/baseline/bare-nest.mjs)',
  baseline: 'plain Fastify + pg + ioredis (Part A (c))',
  'empty-node': 'an empty Node process (node -e, no module loaded)',
};

/** The largest resident memory after the load among the system's processes: `{ name, rssMb }`. */
export function largestAfterLoad(memory) {
  return SYSTEM_PROCESSES.map((name) => ({ name, rssMb: memory.loaded[name]?.rssMb ?? Infinity })).sort(
    (a, b) => b.rssMb - a.rssMb,
  )[0];
}

export function footprintSection({ memory }) {
  const row = (name, label, judged) => {
    const idle = memory.idle[name];
    const loaded = memory.loaded[name];
    return [
      label,
      num(idle?.rssMb, 0),
      num(idle?.fileMb, 0),
      num(loaded?.rssMb, 0),
      num(memory.settled?.[name]?.rssMb, 0),
      num(loaded?.peakMb, 0),
      judged ? (loaded?.rssMb <= MEMORY_GOAL_MB ? 'MET' : 'MISS') : '',
    ];
  };
  return [
    '### Memory: resident set of each process (VmRSS, MB)',
    `Idle: ${memory.settleSeconds} s after every process was ready and the bench data was in place; "of it, files" is the part of that resident set that is pages of mapped files (RssFile), the node binary's above all, shared by every Node process but counted in each. After the load: right after Part B (the saga at every rate, after Part A). Settled: ${memory.settledAfterSeconds} s later, after Part C, through which the system's processes sat idle. Peak: the highest resident set the process had (VmHWM). Goal: every process of the system ≤ ${MEMORY_GOAL_MB} MB after the warm-up, judged on the after-the-load figure.`,
    table(
      [
        ['Process', 'l'],
        ['idle', 'r'],
        ['of it, files', 'r'],
        ['after the load', 'r'],
        ['settled', 'r'],
        ['peak', 'r'],
        [`≤ ${MEMORY_GOAL_MB} MB`, 'l'],
      ],
      [
        ...SYSTEM_PROCESSES.map((name) => row(name, name, true)),
        ...Object.entries(MEMORY_FLOORS).map(([name, label]) => row(name, label, false)),
      ],
    ),
  ];
}
