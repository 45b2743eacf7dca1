import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { eventually } from '@shop/shared/testing';
import { InventoryRejectedHandler } from '../src/orders/saga/inventory-rejected.handler';
import { InventoryReservedHandler } from '../src/orders/saga/inventory-reserved.handler';
import {
  ADMIN_SCOPES,
  Customer,
  inventoryEvent,
  OrdersApp,
  PlacedOrder,
  quantities,
} from './support/orders-app.fixture';

describe('an order’s life after it is placed', () => {
  let orders: OrdersApp;
  let reserved: InventoryReservedHandler;
  let rejected: InventoryRejectedHandler;
  beforeAll(async () => {
    orders = await OrdersApp.start();
    reserved = orders.app.get(InventoryReservedHandler);
    rejected = orders.app.get(InventoryRejectedHandler);
  });
  afterAll(() => orders.close());

  const get = async (id: string, who: Customer) =>
    (await orders.call('GET', `/api/v1/orders/${id}`, who.token)).json();
  const reserve = (order: PlacedOrder) =>
    orders.deliver(
      reserved,
      inventoryEvent('inventory.reserved', { orderId: order.id, lines: quantities(order) }),
    );
  const reject = (order: PlacedOrder, reason: 'OUT_OF_STOCK' | 'UNKNOWN_ITEM' = 'OUT_OF_STOCK') =>
    orders.deliver(rejected, inventoryEvent('inventory.rejected', { orderId: order.id, reason }));

  describe('the saga', () => {
    it('confirms the order when inventory reserved it, and publishes order.confirmed', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      const event = inventoryEvent('inventory.reserved', { orderId: order.id, lines: quantities(order) });
      await orders.deliver(reserved, event);
      expect(await get(order.id, alice)).toMatchObject({ status: 'CONFIRMED' });
      expect(await orders.events({ type: 'order.confirmed', aggregateId: order.id })).toEqual([
        {
          type: 'order.confirmed',
          aggregateId: order.id,
          aggregateVersion: 2,
          correlationId: event.correlationId,
          data: { orderId: order.id, userId: alice.id, status: 'CONFIRMED' },
        },
      ]);
    });

    it('rejects the order with inventory’s reason, and publishes order.rejected', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      await reject(order, 'OUT_OF_STOCK');
      expect(await get(order.id, alice)).toMatchObject({ status: 'REJECTED', rejectReason: 'OUT_OF_STOCK' });
      const [event] = await orders.events({ type: 'order.rejected', aggregateId: order.id });
      expect(event.data).toEqual({
        orderId: order.id,
        userId: alice.id,
        status: 'REJECTED',
        reason: 'OUT_OF_STOCK',
      });
      expect(event.aggregateVersion).toBe(2);
    });

    it('applies a redelivered inventory.reserved once', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      await reserve(order);
      await reserve(order);
      expect(await orders.events({ type: 'order.confirmed', aggregateId: order.id })).toHaveLength(1);
    });

    it('keeps a cancelled order CANCELLED when the reservation arrives late', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      expect((await orders.cancel(order.id, alice.token)).statusCode).toBe(200);
      await reserve(order);
      expect(await get(order.id, alice)).toMatchObject({ status: 'CANCELLED', cancelReason: 'customer' });
      expect(await orders.events({ type: 'order.confirmed', aggregateId: order.id })).toHaveLength(0);
      // Its order.cancelled is what makes inventory release the late reservation.
      expect(await orders.events({ type: 'order.cancelled', aggregateId: order.id })).toHaveLength(1);
    });

    it('ignores inventory.rejected for an order already decided', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      await reserve(order);
      await reject(order);
      expect(await get(order.id, alice)).toMatchObject({ status: 'CONFIRMED' });
      expect(await orders.events({ type: 'order.rejected', aggregateId: order.id })).toHaveLength(0);
    });

    it('ignores an event about an order it never had', async () => {
      const lines = [{ itemId: randomUUID(), quantity: 1 }];
      await expect(
        orders.deliver(reserved, inventoryEvent('inventory.reserved', { orderId: randomUUID(), lines })),
      ).resolves.toBeUndefined();
    });

    it('times confirmations and counts outcomes in /metrics', async () => {
      const text = (await orders.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).toMatch(/orders_confirmed_total\{service="orders"\} [1-9]/);
      expect(text).toMatch(/orders_rejected_total\{service="orders"\} [1-9]/);
      expect(text).toMatch(/orders_cancelled_total\{[^}]*reason="customer"[^}]*\} [1-9]/);
      expect(text).toMatch(/order_time_to_confirm_seconds_count\{[^}]*outcome="confirmed"[^}]*\} [1-9]/);
    });
  });

  describe('through RabbitMQ', () => {
    it('publishes order.placed, consumes inventory.reserved and publishes order.confirmed', async () => {
      const connection = await connect(orders.vhost.url);
      try {
        const channel = await connection.createConfirmChannel();
        await channel.assertExchange('shop.events', 'topic', { durable: true });
        const { queue } = await channel.assertQueue('', { exclusive: true });
        await channel.bindQueue(queue, 'shop.events', 'order.*');
        const seen: { type: string; orderId: string }[] = [];
        await channel.consume(
          queue,
          (message) => {
            const event = JSON.parse(message!.content.toString());
            seen.push({ type: event.type, orderId: event.data.orderId });
          },
          { noAck: true },
        );

        const alice = await orders.customer();
        const order = await orders.placeSimple(alice);
        const reservedEvent = inventoryEvent('inventory.reserved', {
          orderId: order.id,
          lines: quantities(order),
        });
        // The app declares its queue once connected; until then a publish would find no queue.
        // The same event sent again is absorbed by the inbox.
        await eventually(
          async () => {
            channel.publish('shop.events', 'inventory.reserved', Buffer.from(JSON.stringify(reservedEvent)), {
              persistent: true,
              messageId: reservedEvent.id,
              type: reservedEvent.type,
            });
            await channel.waitForConfirms();
            return (await get(order.id, alice)).status !== 'PENDING';
          },
          { timeoutMs: 10_000, everyMs: 200 },
        );
        expect(await get(order.id, alice)).toMatchObject({ status: 'CONFIRMED' });
        await eventually(() => seen.filter((event) => event.orderId === order.id).length >= 2);
        expect(seen.filter((event) => event.orderId === order.id)).toEqual([
          { type: 'order.placed', orderId: order.id },
          { type: 'order.confirmed', orderId: order.id },
        ]);
        expect(await orders.events({ type: 'order.confirmed', aggregateId: order.id })).toHaveLength(1);
      } finally {
        await connection.close();
      }
    });
  });

  describe('cancelling', () => {
    it('cancels a PENDING order and publishes order.cancelled with its lines', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice, '3.00', 7);
      const res = await orders.cancel(order.id, alice.token);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: order.id, status: 'CANCELLED', cancelReason: 'customer' });
      const [event] = await orders.events({ type: 'order.cancelled', aggregateId: order.id });
      expect(event).toMatchObject({ aggregateVersion: 2 });
      expect(event.data).toEqual({
        orderId: order.id,
        userId: alice.id,
        status: 'CANCELLED',
        reason: 'customer',
        lines: [{ itemId: order.lines[0].itemId, quantity: 7 }],
      });
    });

    it('cancels a CONFIRMED order', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      await reserve(order);
      const res = await orders.cancel(order.id, alice.token);
      expect(res.json()).toMatchObject({ status: 'CANCELLED' });
      const [event] = await orders.events({ type: 'order.cancelled', aggregateId: order.id });
      expect(event.aggregateVersion).toBe(3);
    });

    it('refuses to cancel a REJECTED order with 409', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      await reject(order);
      const res = await orders.cancel(order.id, alice.token);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('ORDER.INVALID_TRANSITION');
      expect(await get(order.id, alice)).toMatchObject({ status: 'REJECTED' });
    });

    it('refuses to cancel a CANCELLED order twice with 409, publishing one event', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      await orders.cancel(order.id, alice.token);
      expect((await orders.cancel(order.id, alice.token)).statusCode).toBe(409);
      expect(await orders.events({ type: 'order.cancelled', aggregateId: order.id })).toHaveLength(1);
    });

    it('lets one of many concurrent cancels win', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      const codes = (
        await Promise.all(Array.from({ length: 5 }, () => orders.cancel(order.id, alice.token)))
      ).map((res) => res.statusCode);
      expect(codes.sort()).toEqual([200, 409, 409, 409, 409]);
      expect(await orders.events({ type: 'order.cancelled', aggregateId: order.id })).toHaveLength(1);
    });

    it('a cancel racing the saga’s answers ends in one consistent story', async () => {
      const alice = await orders.customer();
      for (let round = 0; round < 5; round++) {
        const order = await orders.placeSimple(alice);
        const [cancel] = await Promise.all([
          orders.cancel(order.id, alice.token),
          reserve(order),
          reject(order),
        ]);
        const final = await get(order.id, alice);
        const counts = Object.fromEntries(
          await Promise.all(
            ['order.confirmed', 'order.rejected', 'order.cancelled'].map(async (type) => [
              type,
              (await orders.events({ type, aggregateId: order.id })).length,
            ]),
          ),
        );
        // One of confirm and reject won PENDING; a cancel applied before or after confirm, never after reject.
        expect(counts['order.confirmed'] + counts['order.rejected']).toBeLessThanOrEqual(1);
        expect(counts['order.cancelled']).toBe(cancel.statusCode === 200 ? 1 : 0);
        expect(final.status).toBe(
          counts['order.cancelled'] ? 'CANCELLED' : counts['order.confirmed'] ? 'CONFIRMED' : 'REJECTED',
        );
      }
    });

    it('needs orders:write', async () => {
      const alice = await orders.customer();
      const order = await orders.placeSimple(alice);
      const reader = await orders.tokens.token(['orders:read'], alice.id);
      expect((await orders.cancel(order.id, reader)).statusCode).toBe(403);
    });
  });

  describe('who sees what', () => {
    it('hides another user’s order as 404, for reading and cancelling', async () => {
      const [alice, bob] = [await orders.customer(), await orders.customer()];
      const order = await orders.placeSimple(alice);
      expect((await orders.call('GET', `/api/v1/orders/${order.id}`, bob.token)).statusCode).toBe(404);
      const cancel = await orders.cancel(order.id, bob.token);
      expect(cancel.statusCode).toBe(404);
      expect(cancel.json().code).toBe('ORDER.NOT_FOUND');
      expect(await get(order.id, alice)).toMatchObject({ status: 'PENDING' });
    });

    it('lets orders:all read and cancel anyone’s order, as admin', async () => {
      const alice = await orders.customer();
      const admin = await orders.customer(ADMIN_SCOPES);
      const order = await orders.placeSimple(alice);
      expect((await orders.call('GET', `/api/v1/orders/${order.id}`, admin.token)).statusCode).toBe(200);
      const res = await orders.cancel(order.id, admin.token);
      expect(res.json()).toMatchObject({ status: 'CANCELLED', cancelReason: 'admin' });
    });

    it('lists a customer’s own orders, newest first, and everyone’s for orders:all', async () => {
      const [alice, bob] = [await orders.customer(), await orders.customer()];
      const first = await orders.placeSimple(alice);
      const second = await orders.placeSimple(alice);
      const bobs = await orders.placeSimple(bob);
      const mine = (await orders.call('GET', '/api/v1/orders', alice.token)).json();
      expect(mine.map((order: { id: string }) => order.id)).toEqual([second.id, first.id]);
      const page = (await orders.call('GET', '/api/v1/orders?skip=1&limit=1', alice.token)).json();
      expect(page.map((order: { id: string }) => order.id)).toEqual([first.id]);

      const admin = await orders.customer(ADMIN_SCOPES);
      const all = (await orders.call('GET', '/api/v1/orders?limit=100', admin.token)).json();
      const ids = all.map((order: { id: string }) => order.id);
      expect(ids).toEqual(expect.arrayContaining([first.id, second.id, bobs.id]));
    });

    it('refuses bad paging and bad ids with 400, and unknown ids with 404', async () => {
      const alice = await orders.customer();
      for (const query of ['limit=0', 'limit=101', 'skip=-1', 'limit=abc']) {
        expect([
          query,
          (await orders.call('GET', `/api/v1/orders?${query}`, alice.token)).statusCode,
        ]).toEqual([query, 400]);
      }
      expect((await orders.call('GET', '/api/v1/orders/not-a-uuid', alice.token)).statusCode).toBe(400);
      expect((await orders.cancel('not-a-uuid', alice.token)).statusCode).toBe(400);
      expect((await orders.call('GET', `/api/v1/orders/${randomUUID()}`, alice.token)).statusCode).toBe(404);
    });

    it('needs orders:read to read', async () => {
      const writer = await orders.customer(['orders:write', 'items:read']);
      expect((await orders.call('GET', '/api/v1/orders', writer.token)).statusCode).toBe(403);
    });
  });
});
