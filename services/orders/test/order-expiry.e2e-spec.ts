import { eventually } from '@shop/shared/testing';
import { OrderExpiryService } from '../src/expiry/order-expiry.service';
import { InventoryReservedHandler } from '../src/orders/saga/inventory-reserved.handler';
import { inventoryEvent, OrdersApp, quantities } from './support/orders-app.fixture';

describe('expiring orders that wait too long', () => {
  let orders: OrdersApp;
  beforeAll(async () => {
    // The job runs on its own every 100 ms, as it does in production every 30 s.
    orders = await OrdersApp.start({ ORDER_PENDING_TTL: '10m', ORDER_EXPIRY_INTERVAL: '100ms' });
  });
  afterAll(() => orders.close());

  const job = () => orders.app.get(OrderExpiryService);
  const backdate = (ids: string[], age: string) =>
    orders.admin.query(`UPDATE orders.orders SET created_at = now() - $2::interval WHERE id = ANY($1)`, [
      ids,
      age,
    ]);
  const statusOf = async (id: string) =>
    (await orders.admin.query('SELECT status, cancel_reason FROM orders.orders WHERE id = $1', [id])).rows[0];

  it('cancels a PENDING order older than the TTL with reason expired, and publishes order.cancelled', async () => {
    const alice = await orders.customer();
    const stale = await orders.placeSimple(alice, '1.50', 2);
    const fresh = await orders.placeSimple(alice);
    await backdate([stale.id], '11 minutes');

    await eventually(async () => (await statusOf(stale.id)).status !== 'PENDING', { timeoutMs: 5000 });
    expect(await statusOf(stale.id)).toEqual({ status: 'CANCELLED', cancel_reason: 'expired' });
    expect(await statusOf(fresh.id)).toEqual({ status: 'PENDING', cancel_reason: null });
    const [event] = await orders.events({ type: 'order.cancelled', aggregateId: stale.id });
    expect(event).toMatchObject({
      aggregateVersion: 2,
      data: {
        orderId: stale.id,
        userId: alice.id,
        status: 'CANCELLED',
        reason: 'expired',
        lines: quantities(stale),
      },
    });
    expect((await orders.app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(
      /orders_cancelled_total\{[^}]*reason="expired"[^}]*\} 1/,
    );
  });

  it('leaves decided orders alone, however old', async () => {
    const alice = await orders.customer();
    const order = await orders.placeSimple(alice);
    await orders.deliver(
      orders.app.get(InventoryReservedHandler),
      inventoryEvent('inventory.reserved', { orderId: order.id, lines: quantities(order) }),
    );
    await backdate([order.id], '2 hours');
    await job().runOnce();
    expect(await statusOf(order.id)).toEqual({ status: 'CONFIRMED', cancel_reason: null });
  });

  it('cancels each order once when several replicas run the job at the same time', async () => {
    const alice = await orders.customer();
    const due = await Promise.all(Array.from({ length: 30 }, () => orders.placeSimple(alice)));
    await backdate(
      due.map((order) => order.id),
      '1 hour',
    );
    // Three more runs race the app's own scheduled one.
    await Promise.all([job().runOnce(), job().runOnce(), job().runOnce()]);
    await eventually(
      async () => (await orders.countOrders(`user_id = $1 AND status = 'PENDING'`, [alice.id])) === 0,
      { timeoutMs: 5000 },
    );
    for (const order of due) {
      const events = await orders.events({ type: 'order.cancelled', aggregateId: order.id });
      expect([order.id, events.length]).toEqual([order.id, 1]);
    }
  });
});
