// Part B of the report: the saga's latency and CPU per order at each rate, how both grow with
// the rate, where the time goes hop by hop beside each hop's floor, and the floors themselves.
import { HOPS } from '../hops.mjs';
import { sum } from '../stats.mjs';
import { num, p50p99, table } from './markdown.mjs';

export const SAGA_GOAL = { rate: 50, p50: 15, p99: 50 };
// The system's own processes; the bench client is metered but not the system's work.
export const SYSTEM = ['users', 'items', 'orders', 'inventory', 'gateway', 'postgres', 'rabbitmq', 'redis'];

export const FLOOR_ROWS = [
  ['roundTrip', 'Postgres: one round trip (SELECT 1)'],
  ['commit', 'Postgres: BEGIN + INSERT + COMMIT (one WAL flush)'],
  ['update', "Postgres: one-row UPDATE in its own transaction (like the relay's claim or mark)"],
  [
    'notify',
    'Postgres: BEGIN + INSERT + pg_notify + COMMIT → the LISTENing connection woken (the relay rounds, the safety net)',
  ],
  ['confirm', 'RabbitMQ: persistent publish → confirm (quorum queue)'],
  ['deliver', 'RabbitMQ: persistent publish → delivered to a consumer on another connection'],
  ['confirmToDeliver', 'RabbitMQ: confirm → delivered, same messages (what a hop from the confirm has left)'],
  ['ackThenPublish', 'RabbitMQ: ack, 1–3 ms later publish → confirm on the same connection, noDelay'],
  ['ackThenPublishNagle', "the same without noDelay (amqplib's default, Nagle on)"],
];

const systemCpu = (s) => sum(SYSTEM.map((p) => s.cpu[p] ?? 0));
const perOrderMs = (s, seconds) => (seconds / s.orders) * 1000;
const limit = (s) => `${s.timeoutMs / 1000} s`;

/** The saga's figures at the goal's rate (undefined if that rate did not run). */
export function sagaAtGoalRate(saga) {
  return saga.find((s) => s.rate === SAGA_GOAL.rate);
}

function latencyTable(saga) {
  const rows = saga.map((s) => {
    const goal = s.rate === SAGA_GOAL.rate;
    const met = s.latency.p50 <= SAGA_GOAL.p50 && s.latency.p99 <= SAGA_GOAL.p99;
    return [
      s.rate,
      s.orders,
      ...['p50', 'p95', 'p99', 'max'].map((p) => num(s.latency[p], 1, { limit: limit(s) })),
      s.timedOut,
      goal ? `p50 ≤ ${SAGA_GOAL.p50}, p99 ≤ ${SAGA_GOAL.p99}` : '',
      goal ? (met ? 'MET' : 'MISS') : '',
      p50p99(s.placed),
      perOrderMs(s, systemCpu(s)).toFixed(1),
      (systemCpu(s) / s.seconds).toFixed(2),
    ];
  });
  return table(
    [
      ['orders/s', 'r'],
      ['orders', 'r'],
      ['p50 ms', 'r'],
      ['p95 ms', 'r'],
      ['p99 ms', 'r'],
      ['max ms', 'r'],
      ['timed out', 'r'],
      ['goal', 'l'],
      ['', 'l'],
      ['201 received p50 / p99 ms', 'r'],
      ['system CPU ms/order', 'r'],
      ['cores', 'r'],
    ],
    rows,
  );
}

function growthLine(saga, cores) {
  const arrow = (values) => values.join(' → ');
  return (
    `As the rate grows ${arrow(saga.map((s) => s.rate))} orders/s, p99 goes ${arrow(saga.map((s) => num(s.latency.p99, 0, { limit: limit(s) })))} ms ` +
    `and the system's CPU per order ${arrow(saga.map((s) => perOrderMs(s, systemCpu(s)).toFixed(1)))} ms ` +
    `(${arrow(saga.map((s) => (systemCpu(s) / s.seconds).toFixed(2)))} of ${cores} cores).`
  );
}

function cpuTable(saga) {
  const processes = Object.keys(saga[0].cpu);
  return table(
    [['orders/s', 'r'], ...processes.map((p) => [p, 'r']), ['system', 'r']],
    saga.map((s) => [
      s.rate,
      ...processes.map((p) => perOrderMs(s, s.cpu[p]).toFixed(2)),
      perOrderMs(s, systemCpu(s)).toFixed(2),
    ]),
  );
}

function hopTable(saga, floors) {
  const rows = HOPS.map(([hop, label]) => [
    label,
    p50p99(floors[hop], 2),
    ...saga.map((s) => p50p99(s.hops[hop])),
  ]);
  rows.push([
    '(sum of the hops, p50)',
    '',
    ...saga.map((s) => sum(HOPS.map(([hop]) => s.hops[hop].p50)).toFixed(1)),
  ]);
  rows.push(['(orders matched)', '', ...saga.map((s) => s.hops.n)]);
  return table([['Hop (p50 / p99 ms)', 'l'], ['floor', 'r'], ...saga.map((s) => [`${s.rate}/s`, 'r'])], rows);
}

export function sagaSection({ machine, saga, floors, hopFloors, sagaMode, polled }) {
  return [
    '### Part B: the saga, order placed → CONFIRMED seen by the client',
    `Open loop (sends at fixed scheduled times, never waiting for answers), latency from each order's scheduled send time to ${sagaMode}. An order not confirmed within ${limit(saga[0])} counts as timed out: its latency is taken as infinite, so it shows in the percentiles. System CPU is every column below but the bench client.`,
    latencyTable(saga),
    growthLine(saga, machine.cores),
    `CPU time per order, ms, by process${polled ? " (includes the client's polling GETs)" : ''} (postgres: the backends of the bench's database; rabbitmq: the one broker process, whatever else it serves):`,
    cpuTable(saga),
    `Other work on the machine during Part B (everything the columns do not count): ${saga.map((s) => `${s.outside.toFixed(2)} cores at ${s.rate}/s`).join(', ')}; of it, Postgres's shared WAL writer, checkpointer and background writer: ${saga.map((s) => s.sharedPostgres.toFixed(2)).join(', ')} cores.`,
    "Where the time goes (outbox and inbox timestamps, the bench's clock at both ends; a hop that starts at `published` can be negative, since the relay marks a row after the confirm while the broker is already delivering). Each floor is the sum of its parts' percentiles in the table after (the relay: the commit + ack-then-publish, since the writer hands the event to its relay at the commit; a handler: three round trips; a delivery: confirm → delivered):",
    hopTable(saga, hopFloors),
    'Floors, one message or transaction at a time, measured in this run before the load:',
    table(
      [
        ['Round trip', 'l'],
        ['p50 ms', 'r'],
        ['p99 ms', 'r'],
      ],
      FLOOR_ROWS.map(([key, label]) => [label, num(floors[key].p50, 2), num(floors[key].p99, 2)]),
    ),
  ];
}
