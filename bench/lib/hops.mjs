// Where an order's time goes, hop by hop, from timestamps the system keeps anyway: each outbox
// row's created_at (clock_timestamp() at the INSERT, before the commit) and published_at (the
// relay's mark, after the broker's confirm), each inbox row's handled_at (the start of the
// consumer's transaction); and the bench's own clock at both ends: the order's scheduled
// send and the moment its `order.confirmed` push arrived on the WebSocket. Postgres and the
// bench read the same system clock, so the differences are exact to a few µs.
//
// Each hop has a floor from the same run: the sum of the parts (pg-floors.mjs,
// amqp-floors.mjs) that a minimal implementation of that hop could not avoid.
import pg from 'pg';
import { percentiles } from './stats.mjs';

// The relay's hop: the rest of the writer's transaction up to its commit (the relay is handed
// the event at the commit: no NOTIFY, no claim), and a publish confirmed right after the
// consumer's ack on the same connection, as both consuming services do it.
const RELAY_FLOOR = ['commit', 'ackThenPublish'];
// A handler's transaction up to the outbox INSERT: inbox INSERT, one statement, outbox INSERT.
const HANDLER_FLOOR = ['roundTrip', 'roundTrip', 'roundTrip'];
// From the relay's confirm to the next consumer: what is left of the broker's delivery.
const DELIVERY_FLOOR = ['confirmToDeliver'];

export const HOPS = [
  ['post', 'order sent → order.placed written (gateway, orders, up to the INSERT)', []],
  ['placed_relay', 'order.placed written → published (commit, dispatch by the orders relay)', RELAY_FLOOR],
  ['to_inventory', 'published → inventory handler starts (broker, consumer)', DELIVERY_FLOOR],
  ['inventory_tx', 'inventory handler → inventory.reserved written', HANDLER_FLOOR],
  [
    'reserved_relay',
    'inventory.reserved written → published (commit, dispatch by the inventory relay)',
    RELAY_FLOOR,
  ],
  ['to_orders', 'published → orders handler starts (broker, consumer)', DELIVERY_FLOOR],
  ['orders_tx', 'orders handler → order.confirmed written', HANDLER_FLOOR],
  [
    'confirmed_relay',
    'order.confirmed written → published (commit, dispatch by the orders relay)',
    RELAY_FLOOR,
  ],
  ['push', 'published → push seen on the WebSocket (gateway consumer, /ws)', DELIVERY_FLOOR],
];

// Epoch milliseconds (with µs) of every timestamp of each order's path.
const SQL = `
SELECT op.payload -> 'data' ->> 'orderId' AS order_id,
       extract(epoch FROM op.created_at) * 1000 AS placed_written,
       extract(epoch FROM op.published_at) * 1000 AS placed_published,
       extract(epoch FROM ii.handled_at) * 1000 AS inventory_handled,
       extract(epoch FROM ir.created_at) * 1000 AS reserved_written,
       extract(epoch FROM ir.published_at) * 1000 AS reserved_published,
       extract(epoch FROM oi.handled_at) * 1000 AS orders_handled,
       extract(epoch FROM oc.created_at) * 1000 AS confirmed_written,
       extract(epoch FROM oc.published_at) * 1000 AS confirmed_published
  FROM orders.outbox op
  JOIN inventory.inbox ii ON ii.event_id = op.id
  JOIN inventory.outbox ir ON ir.type = 'inventory.reserved'
   AND ir.payload -> 'data' ->> 'orderId' = op.payload -> 'data' ->> 'orderId'
  JOIN orders.inbox oi ON oi.event_id = ir.id
  JOIN orders.outbox oc ON oc.type = 'order.confirmed'
   AND oc.payload -> 'data' ->> 'orderId' = op.payload -> 'data' ->> 'orderId'
 WHERE op.type = 'order.placed' AND op.payload -> 'data' ->> 'orderId' = ANY($1)`;

function hopsOf(row, order) {
  const t = Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
  return {
    post: t.placed_written - order.scheduledAt,
    placed_relay: t.placed_published - t.placed_written,
    to_inventory: t.inventory_handled - t.placed_published,
    inventory_tx: t.reserved_written - t.inventory_handled,
    reserved_relay: t.reserved_published - t.reserved_written,
    to_orders: t.orders_handled - t.reserved_published,
    orders_tx: t.confirmed_written - t.orders_handled,
    confirmed_relay: t.confirmed_published - t.confirmed_written,
    push: order.confirmedAt - t.confirmed_published,
  };
}

/**
 * Percentiles of each hop over the confirmed `orders` (saga.mjs records): `{ n, [hop]: { p50,
 * p99, … } }`. Orders whose push timed out are left out (they have no end).
 */
export async function hopBreakdown(adminUrl, orders) {
  const confirmed = new Map(orders.filter((o) => o.confirmedAt).map((o) => [o.orderId, o]));
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query(SQL, [[...confirmed.keys()]]);
    const hops = rows.map((row) => hopsOf(row, confirmed.get(row.order_id)));
    return {
      n: hops.length,
      ...Object.fromEntries(HOPS.map(([hop]) => [hop, percentiles(hops.map((h) => h[hop]))])),
    };
  } finally {
    await client.end();
  }
}

/** Each hop's floor, `{ [hop]: { p50, p99 } | undefined }`: the sums of its parts' percentiles. */
export function hopFloors(floors) {
  const sumOf = (parts, p) => parts.reduce((total, part) => total + floors[part][p], 0);
  return Object.fromEntries(
    HOPS.map(([hop, , parts]) => [
      hop,
      parts.length ? { p50: sumOf(parts, 'p50'), p99: sumOf(parts, 'p99') } : undefined,
    ]),
  );
}
