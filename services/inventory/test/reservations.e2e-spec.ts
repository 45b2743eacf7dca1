import { randomUUID } from 'node:crypto';
import { itemDeleted, orderCancelled, orderPlaced } from './support/events.fixture';
import { InventoryApp, startInventoryApp } from './support/inventory-app.fixture';

/** A random item id that sorts first ('0') or last ('f') among random ones. */
const idSorting = (first: '0' | 'f') => `${first.repeat(8)}${randomUUID().slice(8)}`;

describe('reserving and releasing stock for orders', () => {
  let inv: InventoryApp;
  beforeAll(async () => {
    inv = await startInventoryApp({ LOW_STOCK_THRESHOLD: '5' });
  });
  afterAll(() => inv.close());

  const eventsOf = async (orderId: string) =>
    (await inv.emitted()).filter((event) => event.aggregateId === orderId);
  const outcome = async (orderId: string) =>
    (await inv.admin.query('SELECT status FROM inventory.order_reservations WHERE order_id = $1', [orderId]))
      .rows[0]?.status;

  it('reserves every line of a placed order and emits inventory.reserved', async () => {
    const [a, b] = [await inv.stockedItem(10), await inv.stockedItem(10)];
    const orderId = randomUUID();
    await inv.handle(
      orderPlaced(orderId, [
        { itemId: a, quantity: 2 },
        { itemId: b, quantity: 3 },
      ]),
    );
    expect(await inv.levels(a)).toEqual({ available: 8, reserved: 2 });
    expect(await inv.levels(b)).toEqual({ available: 7, reserved: 3 });
    const [reserved] = await eventsOf(orderId);
    expect(reserved).toMatchObject({ type: 'inventory.reserved', aggregateVersion: 1 });
    expect(reserved.data.orderId).toBe(orderId);
    expect(reserved.data.lines).toHaveLength(2);
    expect(reserved.data.lines).toEqual(
      expect.arrayContaining([
        { itemId: a, quantity: 2 },
        { itemId: b, quantity: 3 },
      ]),
    );
  });

  it('merges lines of the same item into one reservation', async () => {
    const a = await inv.stockedItem(10);
    const orderId = randomUUID();
    await inv.handle(
      orderPlaced(orderId, [
        { itemId: a, quantity: 2 },
        { itemId: a, quantity: 4 },
      ]),
    );
    expect(await inv.levels(a)).toEqual({ available: 4, reserved: 6 });
    expect((await eventsOf(orderId))[0].data.lines).toEqual([{ itemId: a, quantity: 6 }]);
  });

  it('rejects an order with an unknown item as UNKNOWN_ITEM and reserves none of its other lines', async () => {
    // The known item sorts first, so it is reserved before the unknown one fails and must be undone.
    const known = await inv.stockedItem(10, idSorting('0'));
    const unknown = idSorting('f');
    const orderId = randomUUID();
    await inv.handle(
      orderPlaced(orderId, [
        { itemId: known, quantity: 1 },
        { itemId: unknown, quantity: 1 },
      ]),
    );
    expect(await inv.levels(known)).toEqual({ available: 10, reserved: 0 });
    expect(await eventsOf(orderId)).toEqual([
      expect.objectContaining({
        type: 'inventory.rejected',
        data: { orderId, reason: 'UNKNOWN_ITEM', itemId: unknown },
      }),
    ]);
    expect(await outcome(orderId)).toBe('REJECTED');
  });

  it('rejects an order as OUT_OF_STOCK when one line cannot be met, leaving the others untouched', async () => {
    const [plenty, scarce] = [
      await inv.stockedItem(10, idSorting('0')),
      await inv.stockedItem(1, idSorting('f')),
    ];
    const orderId = randomUUID();
    await inv.handle(
      orderPlaced(orderId, [
        { itemId: plenty, quantity: 3 },
        { itemId: scarce, quantity: 2 },
      ]),
    );
    expect(await inv.levels(plenty)).toEqual({ available: 10, reserved: 0 });
    expect(await inv.levels(scarce)).toEqual({ available: 1, reserved: 0 });
    expect((await eventsOf(orderId))[0].data).toEqual({ orderId, reason: 'OUT_OF_STOCK', itemId: scarce });
  });

  it('rejects an order for a deleted item as UNKNOWN_ITEM', async () => {
    const itemId = await inv.stockedItem(10);
    await inv.handle(itemDeleted(itemId));
    const orderId = randomUUID();
    await inv.handle(orderPlaced(orderId, [{ itemId, quantity: 1 }]));
    expect((await eventsOf(orderId))[0].data.reason).toBe('UNKNOWN_ITEM');
    expect(await inv.levels(itemId)).toEqual({ available: 10, reserved: 0 });
  });

  it('releases a reserved order when it is cancelled, restoring the levels and emitting inventory.released', async () => {
    const [a, b] = [await inv.stockedItem(10), await inv.stockedItem(10)];
    const orderId = randomUUID();
    const lines = [
      { itemId: a, quantity: 2 },
      { itemId: b, quantity: 5 },
    ];
    await inv.handle(orderPlaced(orderId, lines));
    await inv.handle(orderCancelled(orderId, lines));
    expect(await inv.levels(a)).toEqual({ available: 10, reserved: 0 });
    expect(await inv.levels(b)).toEqual({ available: 10, reserved: 0 });
    const released = (await eventsOf(orderId)).filter((event) => event.type === 'inventory.released');
    expect(released).toHaveLength(1);
    expect(released[0].aggregateVersion).toBe(2);
    expect(released[0].data.lines).toEqual(expect.arrayContaining(lines));
    expect(await outcome(orderId)).toBe('RELEASED');
  });

  it('releases only once when the cancellation comes twice', async () => {
    const a = await inv.stockedItem(10);
    const orderId = randomUUID();
    const lines = [{ itemId: a, quantity: 4 }];
    await inv.handle(orderPlaced(orderId, lines));
    await inv.handle(orderCancelled(orderId, lines));
    await inv.handle(orderCancelled(orderId, lines));
    expect(await inv.levels(a)).toEqual({ available: 10, reserved: 0 });
    expect((await eventsOf(orderId)).filter((event) => event.type === 'inventory.released')).toHaveLength(1);
  });

  it('reserves nothing for an order whose cancellation arrived before it was placed', async () => {
    const a = await inv.stockedItem(10);
    const orderId = randomUUID();
    const lines = [{ itemId: a, quantity: 3 }];
    await inv.handle(orderCancelled(orderId, lines));
    await inv.handle(orderPlaced(orderId, lines));
    expect(await inv.levels(a)).toEqual({ available: 10, reserved: 0 });
    expect(await eventsOf(orderId)).toEqual([]);
    expect(await outcome(orderId)).toBe('CANCELLED_BEFORE_RESERVATION');
  });

  it('gives nothing back when a rejected order is cancelled', async () => {
    const a = await inv.stockedItem(1);
    const orderId = randomUUID();
    await inv.handle(orderPlaced(orderId, [{ itemId: a, quantity: 2 }]));
    await inv.handle(orderCancelled(orderId, [{ itemId: a, quantity: 2 }]));
    expect(await inv.levels(a)).toEqual({ available: 1, reserved: 0 });
    expect((await eventsOf(orderId)).map((event) => event.type)).toEqual(['inventory.rejected']);
  });

  it('reserves an order placed twice only once', async () => {
    const a = await inv.stockedItem(10);
    const orderId = randomUUID();
    await inv.handle(orderPlaced(orderId, [{ itemId: a, quantity: 3 }]));
    await inv.handle(orderPlaced(orderId, [{ itemId: a, quantity: 3 }]));
    expect(await inv.levels(a)).toEqual({ available: 7, reserved: 3 });
    expect(await eventsOf(orderId)).toHaveLength(1);
  });

  it('emits inventory.low_stock once, when a reservation takes available stock below the threshold', async () => {
    const itemId = await inv.stockedItem(7);
    const lowStock = async () =>
      (await inv.emitted('inventory.low_stock')).filter((e) => e.aggregateId === itemId);
    await inv.handle(orderPlaced(randomUUID(), [{ itemId, quantity: 2 }])); // 7 → 5: not below 5
    expect(await lowStock()).toEqual([]);
    await inv.handle(orderPlaced(randomUUID(), [{ itemId, quantity: 1 }])); // 5 → 4: crosses
    await inv.handle(orderPlaced(randomUUID(), [{ itemId, quantity: 1 }])); // 4 → 3: already low
    const events = await lowStock();
    expect(events).toHaveLength(1);
    expect(events[0].data).toEqual({ itemId, available: 4, threshold: 5 });
    const { rows } = await inv.admin.query('SELECT version FROM inventory.stock WHERE item_id = $1', [
      itemId,
    ]);
    expect(events[0].aggregateVersion).toBe(rows[0].version - 1);
  });

  it('emits inventory.low_stock again after a restock and a new run-down, and for adjustments too', async () => {
    const itemId = await inv.stockedItem(6);
    const count = async () =>
      (await inv.emitted('inventory.low_stock')).filter((e) => e.aggregateId === itemId).length;
    await inv.handle(orderPlaced(randomUUID(), [{ itemId, quantity: 6 }])); // 6 → 0
    expect(await count()).toBe(1);
    await inv.adjust(itemId, 10); // 0 → 10
    await inv.adjust(itemId, -8); // 10 → 2
    expect(await count()).toBe(2);
  });
});
