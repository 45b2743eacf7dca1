// Where an order's time goes between the services, from the timestamps the system keeps
// anyway: each outbox row's created_at (clock_timestamp() at the write) and published_at
// (the relay's mark after the broker confirmed), and each inbox row's handled_at (the start
// of the consumer's transaction). One server clock, so the differences are exact.
import pg from 'pg';

export const HOPS = [
  ['placed_relay', 'order.placed written → published (commit + orders relay)'],
  ['to_inventory', 'published → inventory handler starts (broker + consumer queue)'],
  ['inventory_tx', 'inventory handler → inventory.reserved written'],
  ['reserved_relay', 'inventory.reserved written → published (commit + inventory relay)'],
  ['to_orders', 'published → orders handler starts (broker + consumer queue)'],
  ['orders_tx', 'orders handler → order.confirmed written'],
  ['confirmed_relay', 'order.confirmed written → published (commit + orders relay)'],
];

const SQL = `
WITH hops AS (
  SELECT
    extract(epoch FROM op.published_at - op.created_at) * 1000 AS placed_relay,
    extract(epoch FROM ii.handled_at - op.published_at) * 1000 AS to_inventory,
    extract(epoch FROM ir.created_at - ii.handled_at) * 1000 AS inventory_tx,
    extract(epoch FROM ir.published_at - ir.created_at) * 1000 AS reserved_relay,
    extract(epoch FROM oi.handled_at - ir.published_at) * 1000 AS to_orders,
    extract(epoch FROM oc.created_at - oi.handled_at) * 1000 AS orders_tx,
    extract(epoch FROM oc.published_at - oc.created_at) * 1000 AS confirmed_relay
  FROM orders.outbox op
  JOIN inventory.inbox ii ON ii.event_id = op.id
  JOIN inventory.outbox ir ON ir.type = 'inventory.reserved'
    AND ir.payload -> 'data' ->> 'orderId' = op.payload -> 'data' ->> 'orderId'
  JOIN orders.inbox oi ON oi.event_id = ir.id
  JOIN orders.outbox oc ON oc.type = 'order.confirmed'
    AND oc.payload -> 'data' ->> 'orderId' = op.payload -> 'data' ->> 'orderId'
  WHERE op.type = 'order.placed' AND op.created_at >= $1 AND op.created_at < $2
)
SELECT count(*)::int AS n, ${HOPS.map(
  ([hop]) =>
    `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hop}) AS ${hop}_p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ${hop}) AS ${hop}_p99`,
).join(', ')}
FROM hops`;

/** p50/p99 of each hop, in ms, for the orders placed between `from` and `to`. */
export async function hopBreakdown(adminUrl, from, to) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query(SQL, [from, to]);
    return rows[0];
  } finally {
    await client.end();
  }
}
