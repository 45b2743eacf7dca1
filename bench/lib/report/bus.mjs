// Part C of the report: events per second through the system's event bus at saturation,
// beside plain amqplib doing the same through the same broker, and the CPU of each.
import { BUS_KINDS } from '../bus.mjs';
import { median, sum } from '../stats.mjs';
import { spread, table } from './markdown.mjs';

const rate = (rounds) => median(rounds.map((r) => r.eventsPerSecond));

/** Median events/s of the bus over median events/s of plain amqplib. */
export const busRatio = (bus) => rate(bus.bus) / rate(bus.plain);

export function busSection({ bus, plan }) {
  const processes = Object.keys(bus.plain[0].cpu);
  const rows = Object.entries(BUS_KINDS).map(([kind, label]) => {
    const rates = bus[kind].map((r) => r.eventsPerSecond);
    const perEvent = (pick) => median(bus[kind].map((r) => (pick(r.cpu) / plan.busEvents) * 1e6));
    return [
      label,
      `${median(rates).toFixed(0)}${spread(rates, 0)}`,
      ...processes.map((p) => perEvent((cpu) => cpu[p]).toFixed(0)),
      perEvent((cpu) => sum(Object.values(cpu))).toFixed(0),
    ];
  });
  return [
    '### Part C: the event bus at saturation',
    `${plan.busRounds} interleaved round(s) of ${plan.busEvents} events each. The bus: \`order.placed\` events written into an outbox first (100 per transaction), then the real \`OutboxRelayService\` (batches of 100) publishes them and the real \`EventConsumerService\` (prefetch 16) handles each in a transaction with its inbox row (the handler itself does nothing), from @shop/shared's built code, in schema \`bench_bus\`; timed from the relay's start to the last event handled. Plain: the same envelopes published persistent with confirms in batches of 100 to a quorum queue and consumed with prefetch 16, one ack each. Postgres alone: only the database work of the consumer's side, one transaction per event with its inbox row, 16 at a time with plain pg, which no bus whose consumers keep an inbox can outrun. Median events/s (min–max), CPU µs per event (median):`,
    table([['Path', 'l'], ['events/s', 'r'], ...processes.map((p) => [p, 'r']), ['total', 'r']], rows),
    `Event bus / plain amqplib: ${busRatio(bus).toFixed(2)}; the inbox transactions alone / plain amqplib: ${(rate(bus.inbox) / rate(bus.plain)).toFixed(2)}.`,
  ];
}
