import { randomUUID } from 'node:crypto';
import { eventually } from '@shop/shared/testing';
import { connectTestBroker, TestBroker } from './support/broker.fixture';
import { itemCreated, orderCancelled, orderPlaced } from './support/events.fixture';
import { InventoryApp, startInventoryApp } from './support/inventory-app.fixture';

describe('inventory on the event bus', () => {
  let inv: InventoryApp;
  let broker: TestBroker;
  beforeAll(async () => {
    inv = await startInventoryApp({}, { broker: true });
    broker = await connectTestBroker(inv.vhost!.url);
    await broker.consumerOn('inventory.events');
  });
  afterAll(async () => {
    await broker.close();
    await inv.close();
  });

  it('reserves an order that arrives over RabbitMQ and publishes inventory.reserved after the commit', async () => {
    const published = await broker.tap('inventory.*');
    const itemId = randomUUID();
    await broker.publish(itemCreated(itemId));
    await eventually(() => inv.levels(itemId));
    await inv.admin.query('UPDATE inventory.stock SET available = 5 WHERE item_id = $1', [itemId]);

    const orderId = randomUUID();
    const placed = orderPlaced(orderId, [{ itemId, quantity: 2 }]);
    await broker.publish(placed);
    await eventually(async () => published.length > 0);
    const event = JSON.parse(published[0].content.toString());
    expect(event).toMatchObject({
      type: 'inventory.reserved',
      source: 'inventory',
      aggregateId: orderId,
      correlationId: placed.correlationId,
      data: { orderId, lines: [{ itemId, quantity: 2 }] },
    });
    expect(await inv.levels(itemId)).toEqual({ available: 3, reserved: 2 });
  });

  it('applies a redelivered event once', async () => {
    const itemId = await inv.stockedItem(10);
    const orderId = randomUUID();
    const lines = [{ itemId, quantity: 4 }];
    const placed = orderPlaced(orderId, lines);
    const cancelled = orderCancelled(orderId, lines);
    // The bus handles several messages at once, so the cancellation goes only
    // once the reservation is in (a cancellation that overtakes it is another test).
    await broker.publish(placed);
    await broker.publish(placed);
    await eventually(async () =>
      (await inv.emitted('inventory.reserved')).some((e) => e.aggregateId === orderId),
    );
    await broker.publish(cancelled);
    await broker.publish(cancelled);
    await eventually(async () =>
      (await inv.emitted('inventory.released')).some((e) => e.aggregateId === orderId),
    );
    const { rows } = await inv.admin.query(
      `SELECT count(*)::int AS n FROM inventory.inbox WHERE event_id = ANY($1::uuid[])`,
      [[placed.id, cancelled.id]],
    );
    expect(rows[0].n).toBe(2);
    expect(await inv.levels(itemId)).toEqual({ available: 10, reserved: 0 });
    const mine = (await inv.emitted()).filter((e) => e.aggregateId === orderId).map((e) => e.type);
    expect(mine).toEqual(['inventory.reserved', 'inventory.released']);
  });

  it('never oversells when 40 orders for a stock of 10 arrive over the broker at once', async () => {
    const itemId = await inv.stockedItem(10);
    const orderIds = Array.from({ length: 40 }, () => randomUUID());
    await Promise.all(
      orderIds.map((orderId) => broker.publish(orderPlaced(orderId, [{ itemId, quantity: 1 }]))),
    );
    const mine = new Set<string>(orderIds);
    const outcomes = await eventually(async () => {
      const events = (await inv.emitted()).filter((event) => mine.has(event.aggregateId));
      return events.length === orderIds.length && events;
    });
    expect(outcomes.filter((event) => event.type === 'inventory.reserved')).toHaveLength(10);
    expect(outcomes.filter((event) => event.type === 'inventory.rejected')).toHaveLength(30);
    expect(await inv.levels(itemId)).toEqual({ available: 0, reserved: 10 });
  });
});
