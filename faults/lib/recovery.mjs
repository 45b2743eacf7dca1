// The one time bound the suite asserts: after a fault ends, the next order is accepted
// within 3 s (the system's promise). A probe customer keeps ordering until one is.
import { placeOrder } from './client.mjs';

export const RECOVERY_BOUND_MS = 3000;

/**
 * Places orders from `customer` from the moment the fault ended until one is answered
 * 201 (or 15 s pass). Resolves to `{ ms, op }`: ms from the fault's end to that answer.
 */
export async function timeToNextOrder(customer, items, endedAt, record) {
  const deadline = endedAt + 15_000; // five times the bound: enough to tell slow from never
  const ops = [];
  while (Date.now() < deadline) {
    const op = await placeOrder(
      customer,
      items.map((itemId) => ({ itemId, quantity: 1 })),
      {
        deadline,
        record,
      },
    );
    ops.push(op);
    if (op.order) return { ms: Date.now() - endedAt, ops };
  }
  return { ms: null, ops };
}
