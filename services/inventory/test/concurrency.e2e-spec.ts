import { randomUUID } from 'node:crypto';
import { orderCancelled, orderPlaced } from './support/events.fixture';
import { InventoryApp, startInventoryApp } from './support/inventory-app.fixture';

/** Postgres' deadlock_detected. */
const DEADLOCK = '40P01';

// Each handler call is its own transaction on the service's pool of 20
// connections, as the bus runs them; Promise.allSettled lets every one finish
// so a failure of one cannot hide what the others did.
describe('reservations under concurrency', () => {
  let inv: InventoryApp;
  beforeAll(async () => {
    inv = await startInventoryApp({ DATABASE_POOL_SIZE: '20' });
  });
  afterAll(() => inv.close());

  const failuresOf = (results: PromiseSettledResult<unknown>[]) =>
    results
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map((r) => r.reason);
  const eventsFor = async (orderIds: Set<string>) =>
    (await inv.emitted()).filter((event) => orderIds.has(event.aggregateId));

  it('never oversells: 120 concurrent orders of one unit each on a stock of 10 reserve exactly 10', async () => {
    const itemId = await inv.stockedItem(10);
    const orderIds = Array.from({ length: 120 }, () => randomUUID());
    const results = await Promise.allSettled(
      orderIds.map((orderId) => inv.handle(orderPlaced(orderId, [{ itemId, quantity: 1 }]))),
    );
    expect(failuresOf(results)).toEqual([]);

    const events = await eventsFor(new Set(orderIds));
    const reserved = events.filter((event) => event.type === 'inventory.reserved');
    const rejected = events.filter((event) => event.type === 'inventory.rejected');
    expect(reserved).toHaveLength(10);
    expect(rejected).toHaveLength(110);
    expect(rejected.every((event) => event.data.reason === 'OUT_OF_STOCK')).toBe(true);
    expect(await inv.levels(itemId)).toEqual({ available: 0, reserved: 10 });
    const { rows } = await inv.admin.query(
      `SELECT status, count(*)::int AS n FROM inventory.order_reservations
       WHERE order_id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
      [orderIds],
    );
    expect(rows).toEqual([
      { status: 'REJECTED', n: 110 },
      { status: 'RESERVED', n: 10 },
    ]);
  });

  it('never deadlocks when multi-line orders take overlapping items in opposite orders, and conserves totals', async () => {
    const items = [await inv.stockedItem(1000), await inv.stockedItem(1000), await inv.stockedItem(1000)];
    const orders = Array.from({ length: 80 }, (_, n) => {
      const lines = items.map((itemId, i) => ({ itemId, quantity: 1 + ((n + i) % 3) }));
      return { orderId: randomUUID(), lines: n % 2 === 0 ? lines : [...lines].reverse() };
    });
    const placed = await Promise.allSettled(orders.map((o) => inv.handle(orderPlaced(o.orderId, o.lines))));
    const cancelled = orders.filter((_, n) => n % 4 === 0);
    // Cancellations race with more placements over the same rows, again in both orders.
    const more = orders
      .slice(0, 40)
      .map((o) => ({ ...o, orderId: randomUUID(), lines: [...o.lines].reverse() }));
    const mixed = await Promise.allSettled([
      ...cancelled.map((o) => inv.handle(orderCancelled(o.orderId, o.lines))),
      ...more.map((o) => inv.handle(orderPlaced(o.orderId, o.lines))),
    ]);

    const failures = failuresOf([...placed, ...mixed]);
    expect(failures.filter((error) => error.code === DEADLOCK)).toEqual([]);
    expect(failures).toEqual([]);
    const held = [...orders.filter((_, n) => n % 4 !== 0), ...more];
    for (const itemId of items) {
      const expected = held.flatMap((o) => o.lines).filter((line) => line.itemId === itemId);
      const reserved = expected.reduce((sum, line) => sum + line.quantity, 0);
      expect(await inv.levels(itemId)).toEqual({ available: 1000 - reserved, reserved });
    }
  });

  it('settles a cancellation racing its own placement either way, never leaving units held', async () => {
    const itemId = await inv.stockedItem(1000);
    const orderIds = Array.from({ length: 40 }, () => randomUUID());
    const lines = [{ itemId, quantity: 2 }];
    const results = await Promise.allSettled(
      orderIds.flatMap((orderId, n) => {
        const both = [inv.handle(orderPlaced(orderId, lines)), inv.handle(orderCancelled(orderId, lines))];
        return n % 2 === 0 ? both : both.reverse();
      }),
    );
    expect(failuresOf(results)).toEqual([]);
    expect(await inv.levels(itemId)).toEqual({ available: 1000, reserved: 0 });
    const { rows } = await inv.admin.query(
      `SELECT DISTINCT status FROM inventory.order_reservations WHERE order_id = ANY($1::uuid[])`,
      [orderIds],
    );
    for (const { status } of rows) expect(['RELEASED', 'CANCELLED_BEFORE_RESERVATION']).toContain(status);
  });

  it('keeps reservations and write-offs racing on one item from ever taking it below zero', async () => {
    const itemId = await inv.stockedItem(30);
    const results = await Promise.allSettled([
      ...Array.from({ length: 30 }, () => inv.handle(orderPlaced(randomUUID(), [{ itemId, quantity: 1 }]))),
      ...Array.from({ length: 30 }, () => inv.adjust(itemId, -1)),
    ]);
    const refusedAdjustments = failuresOf(results).filter((e) => e.code === 'INVENTORY.INSUFFICIENT_STOCK');
    expect(failuresOf(results)).toHaveLength(refusedAdjustments.length);
    const levels = await inv.levels(itemId);
    expect(levels!.available).toBe(0);
    expect(levels!.reserved + (30 - refusedAdjustments.length)).toBe(30);
  });
});
