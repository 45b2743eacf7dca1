// A steady stream of orders and cancels from many customers, and what became of each:
// attempted (operations started), acknowledged (an order answered 201 / a cancel 200),
// and every answer by status, with the unexpected ones kept for the report.
import { setTimeout as sleep } from 'node:timers/promises';
import { cancelOrder, placeOrder } from './client.mjs';

/** Statuses an operation may answer under faults besides 2xx and 502/503/504. */
const EXPECTED_4XX = { place: new Set([429]), cancel: new Set([409, 429]) };

export const isExpected = (kind, status) =>
  (status >= 200 && status < 300) || [502, 503, 504].includes(status) || EXPECTED_4XX[kind].has(status);

export function startLoad({ customers, items, ratePerSecond, cancelShare = 0.2, retryMs = 15_000 }) {
  const ops = [];
  const answers = { byStatus: {}, unexpected: [], noAnswer: 0 };
  const record = (op, answer) => {
    answers.byStatus[answer.status] = (answers.byStatus[answer.status] ?? 0) + 1;
    if (answer.status === 0) answers.noAnswer += 1;
    else if (!isExpected(op.kind, answer.status))
      answers.unexpected.push({ kind: op.kind, status: answer.status, body: answer.body, at: Date.now() });
  };
  const pending = new Set();
  let running = true;
  let n = 0;
  const track = (promise) => {
    pending.add(promise);
    promise.finally(() => pending.delete(promise));
  };
  const one = async (customer) => {
    const lines = items.map((itemId, i) => ({ itemId, quantity: 1 + ((n + i) % 2) }));
    const op = await placeOrder(customer, lines, { deadline: Date.now() + retryMs, record });
    ops.push(op);
    if (op.order && Math.random() < cancelShare) {
      await sleep(100 + Math.random() * 400);
      ops.push(await cancelOrder(customer, op.order.id, { deadline: Date.now() + retryMs, record }));
    }
  };
  const loop = (async () => {
    const interval = 1000 / ratePerSecond;
    const started = Date.now();
    while (running) {
      track(one(customers[n % customers.length]));
      n += 1;
      const due = started + n * interval;
      await sleep(Math.max(0, due - Date.now()));
    }
  })();
  return {
    ops,
    answers,
    /** Stops starting operations and waits for those under way. */
    async stop() {
      running = false;
      await loop;
      while (pending.size > 0) await Promise.allSettled([...pending]);
      return { ops, answers };
    },
  };
}
