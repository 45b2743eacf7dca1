// The invariants the suite asserts after a scenario, read from the API (what a customer
// sees) and from the suite's own database (what the services hold).
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { listOrders } from './client.mjs';
import { infra } from './infra.mjs';

const TERMINAL = new Set(['CONFIRMED', 'REJECTED', 'CANCELLED']);
const SCHEMAS = ['users', 'items', 'orders', 'inventory'];

export async function query(sql, params = []) {
  const client = new pg.Client({ connectionString: infra.adminUrl, application_name: 'faults-checks' });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Waits until the system is quiet: no unpublished outbox row, no PENDING order of
 * `userIds`, no message waiting in a service queue. Resolves to the ms it took, or null.
 */
export async function waitSettled(userIds, timeoutMs = 45_000) {
  const started = Date.now();
  const outbox = SCHEMAS.map((s) => `(SELECT count(*) FROM ${s}.outbox WHERE published_at IS NULL)`).join(
    '+',
  );
  while (Date.now() - started < timeoutMs) {
    const [{ unpublished, pending }] = await query(
      `SELECT ${outbox} AS unpublished,
        (SELECT count(*) FROM orders.orders WHERE status = 'PENDING' AND user_id = ANY($1)) AS pending`,
      [userIds],
    );
    const depths = await infra.queueDepths();
    const waiting = Object.entries(depths).filter(
      ([name, n]) => n > 0 && /^\w+\.events(\.retry\.\d+)?$/.test(name),
    );
    if (Number(unpublished) === 0 && Number(pending) === 0 && waiting.length === 0)
      return Date.now() - started;
    await sleep(500);
  }
  return null;
}

/**
 * What became of the acknowledged orders of `ops`: each must be in its owner's list
 * (GET /api/v1/orders, paged) and terminal; each key must map to exactly one order.
 */
export async function orderFigures(ops, customers) {
  const places = ops.filter((op) => op.kind === 'place');
  const acknowledged = places.filter((op) => op.order);
  const listed = new Map();
  for (const customer of customers)
    for (const order of await listOrders(customer)) listed.set(order.id, order.status);
  const lost = acknowledged.filter((op) => !listed.has(op.order.id));
  // The same lists paged on past a short page, until an empty one: tells a paging fault
  // (orders the list skips) from orders that are really gone.
  const everListed = new Set();
  if (lost.length > 0)
    for (const customer of customers)
      for (const order of await listOrders(customer, 20, { untilEmpty: true })) everListed.add(order.id);
  const notTerminal = acknowledged.filter(
    (op) => listed.has(op.order.id) && !TERMINAL.has(listed.get(op.order.id)),
  );
  const userIds = customers.map((c) => c.id);
  const rows = await query(
    `SELECT o.id, o.status, k.key FROM orders.orders o
       LEFT JOIN orders.idempotency_keys k ON k.order_id = o.id AND k.user_id = o.user_id
      WHERE o.user_id = ANY($1)`,
    [userIds],
  );
  const status = new Map(rows.map((row) => [row.id, row.status]));
  const byKey = new Map();
  for (const row of rows) if (row.key) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.id]);
  const withoutKey = rows.filter((row) => !row.key).length; // every suite order carries a key
  const answeredTwice = places.filter((op) => op.orderIds.size > 1).length;
  const keyMismatch = acknowledged.filter((op) => (byKey.get(op.key) ?? []).join() !== op.order.id).length;
  return {
    attempted: places.length,
    acknowledged: acknowledged.length,
    completed: acknowledged.filter((op) => TERMINAL.has(status.get(op.order.id))).length,
    lost: lost.length,
    notTerminal: notTerminal.length,
    duplicated: withoutKey + answeredTwice + keyMismatch,
    inDatabaseNotListed: rows.filter((row) => !listed.has(row.id)).length,
    missingPastShortPages: lost.filter((op) => !everListed.has(op.order.id)).length,
    lostExamples: lost.slice(0, 3).map((op) => op.order.id),
  };
}

/**
 * Per item: available + reserved equals the sum of its adjustments, and reserved equals
 * what CONFIRMED orders hold. Resolves to the items that break either rule.
 */
export async function stockFigures(itemIds) {
  return query(
    `SELECT s.item_id, s.available, s.reserved,
            (SELECT coalesce(sum(delta), 0) FROM inventory.adjustments a WHERE a.item_id = s.item_id) AS adjusted,
            (SELECT coalesce(sum(l.quantity), 0) FROM orders.order_lines l
               JOIN orders.orders o ON o.id = l.order_id
              WHERE l.item_id = s.item_id AND o.status = 'CONFIRMED') AS confirmed
       FROM inventory.stock s WHERE s.item_id = ANY($1)`,
    [itemIds],
  ).then((rows) =>
    rows
      .map((row) => ({ ...row, adjusted: Number(row.adjusted), confirmed: Number(row.confirmed) }))
      .filter((row) => row.available + row.reserved !== row.adjusted || row.reserved !== row.confirmed),
  );
}
