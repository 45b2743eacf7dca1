// (a) Orders and cancels at a steady rate while every kind of process is killed, inventory
// paused, the broker and Postgres connections cut and Redis's clients killed. Afterwards
// nothing acknowledged is lost or doubled, stock adds up, and each fault healed in 3 s.
import { setTimeout as sleep } from 'node:timers/promises';
import { orderFigures, stockFigures, waitSettled } from '../lib/checks.mjs';
import { makeCustomers } from '../lib/client.mjs';
import { faultPlan } from '../lib/fault-plan.mjs';
import { infra } from '../lib/infra.mjs';
import { startLoad } from '../lib/load.mjs';
import { RECOVERY_BOUND_MS, timeToNextOrder } from '../lib/recovery.mjs';
import * as report from '../lib/report.mjs';
import { showLog } from '../lib/supervisor.mjs';

const seconds = (ms) => (ms === null ? 'never' : `${(ms / 1000).toFixed(2)} s`);

export async function chaos({ options, items }) {
  report.begin('a', 'orders and cancels while processes, broker, Postgres and Redis fail');
  const customers = await makeCustomers(options.long ? 30 : 12, 'a');
  const [probe] = await makeCustomers(1, 'p');
  const dlqBefore = await infra.deadLettered();
  const rate = options.long ? 12 : 6;
  report.progress(`${customers.length} customers, ${rate} orders/s, 20% of them cancelled`);
  const load = startLoad({ customers, items, ratePerSecond: rate });
  await sleep(2000);

  const recoveries = [];
  const probeOps = [];
  for (const fault of faultPlan(options)) {
    const started = Date.now();
    const outcome = await fault.run().catch((error) => ({ error: error.message }));
    const endedAt = Date.now();
    const { ms, ops } = await timeToNextOrder(probe, items, endedAt, null);
    probeOps.push(...ops);
    recoveries.push({ fault: fault.name, ms, outcome });
    const extra = outcome && typeof outcome === 'object' ? ` ${JSON.stringify(outcome)}` : '';
    report.progress(`${fault.name}: ${seconds(endedAt - started)}, next order after ${seconds(ms)}${extra}`);
    if (outcome?.error) report.check(`fault "${fault.name}" could be applied`, false, outcome.error);
    await sleep(options.long ? 5000 : 1500);
  }
  const { ops, answers } = await load.stop();
  report.progress(
    `load stopped: ${ops.length} operations; answers by status ${JSON.stringify(answers.byStatus)}`,
  );

  const settledMs = await waitSettled([...customers, probe].map((c) => c.id));
  report.check(
    'the system settles (outboxes empty, no PENDING order, queues drained)',
    settledMs !== null,
    seconds(settledMs),
  );
  const figures = await orderFigures([...ops, ...probeOps], [...customers, probe]);
  for (const name of ['attempted', 'acknowledged', 'completed', 'lost', 'duplicated'])
    report.figure(name, figures[name]);
  const worst = Math.max(...recoveries.map((r) => r.ms ?? Infinity));
  report.figure('recovery', `≤${seconds(worst)}`);
  report.figure('unanswered (connection reset by a killed gateway)', answers.noAnswer);

  report.check(
    "every acknowledged order is in its owner's list",
    figures.lost === 0,
    `${figures.lost} of ${figures.acknowledged} missing from GET /api/v1/orders (paged)` +
      (figures.lost
        ? `, e.g. ${figures.lostExamples.join(', ')}; ${figures.inDatabaseNotListed} orders are in the database but not listed, ${figures.missingPastShortPages} still missing when paging on to an empty page`
        : ''),
  );
  report.check(
    'every acknowledged order is terminal',
    figures.notTerminal === 0,
    `${figures.notTerminal} listed but not terminal`,
  );
  report.check(
    'each Idempotency-Key maps to exactly one order',
    figures.duplicated === 0,
    `${figures.duplicated} duplicates`,
  );
  const badStock = await stockFigures(items);
  report.check(
    'for every item available + reserved = adjustments and reserved = what CONFIRMED orders hold',
    badStock.length === 0,
    badStock.map((row) => JSON.stringify(row)).join('; '),
  );
  const dlqAfter = await infra.deadLettered();
  const newlyParked = Object.entries(dlqAfter).filter(([queue, n]) => n > (dlqBefore[queue] ?? 0));
  report.check(
    'nothing new is dead-lettered',
    newlyParked.length === 0,
    newlyParked.map(([q, n]) => `${q}: ${n}`).join(', '),
  );
  const unexpected = Object.entries(Object.groupBy(answers.unexpected, (a) => `${a.kind} ${a.status}`));
  report.check(
    'every answer during the faults is 2xx, an expected 4xx, or 502/503/504',
    unexpected.length === 0,
    unexpected
      .map(([what, list]) => `${list.length}× ${what} (${JSON.stringify(list[0].body).slice(0, 160)})`)
      .join('; '),
  );
  for (const { fault, ms } of recoveries)
    report.check(
      `next order accepted within 3 s of the end of: ${fault}`,
      ms !== null && ms <= RECOVERY_BOUND_MS,
      seconds(ms),
    );
  if (answers.unexpected.some((a) => a.status === 500)) showLog('orders-1');
}
