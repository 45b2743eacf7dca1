// Part C, the event bus at saturation: drives bench/bus/worker.mjs through interleaved rounds
// of plain amqplib, of the inbox transactions alone, and of the system's outbox → broker →
// inbox path, each round timed in the worker and its CPU (worker, the bench database's
// Postgres backends, the broker) metered here.
import { once } from 'node:events';
import { progress } from './output.mjs';
import { start } from './procs.mjs';

export const BUS_KINDS = {
  plain: 'plain amqplib: publish with confirms → quorum queue → consume',
  inbox: 'Postgres alone: the inbox transaction of each event (no broker)',
  bus: 'event bus: outbox → OutboxRelayService → broker → EventConsumerService + inbox',
};

async function ask(worker, message) {
  const reply = once(worker, 'message');
  if (message) worker.send(message);
  const [answer] = await reply;
  if (answer.error) throw new Error(`event-bus worker: ${answer.error}`);
  return answer;
}

/**
 * `rounds` rounds of `count` events, plain, inbox and bus (alternating which goes first).
 * Resolves with `{ plain: [...], inbox: [...], bus: [...] }`, each round
 * `{ eventsPerSecond, cpu }`, `cpu` being CPU seconds per group over the round, from the
 * meter `meterFor(workerPid)` returns.
 */
export async function busThroughput({ adminUrl, brokerUrl, logFile, count, rounds, meterFor }) {
  const worker = start('event-bus worker', process.execPath, ['bench/bus/worker.mjs'], {
    logFile,
    ipc: true,
    env: { ...process.env, ADMIN_URL: adminUrl, BROKER_URL: brokerUrl },
  });
  const meter = meterFor(worker.pid);
  try {
    await ask(worker);
    const results = { plain: [], inbox: [], bus: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['bus', 'inbox', 'plain'] : ['plain', 'inbox', 'bus'];
      for (const kind of order) {
        const before = await meter.sample();
        const { seconds } = await ask(worker, { run: kind, count });
        const cpu = meter.delta(before, await meter.sample());
        results[kind].push({ eventsPerSecond: count / seconds, cpu });
        progress(
          `round ${round + 1}/${rounds} ${kind.padEnd(5)} ${count} events in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(0)} events/s`,
        );
      }
    }
    worker.expectedExit = true;
    worker.send({ run: 'close' });
    await once(worker, 'exit');
    return results;
  } finally {
    meter.stop();
  }
}
