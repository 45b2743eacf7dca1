import { randomUUID } from 'node:crypto';
import { itemCreated, itemDeleted } from './support/events.fixture';
import { bearer, InventoryApp, startInventoryApp } from './support/inventory-app.fixture';

describe('stock levels and adjustments', () => {
  let inv: InventoryApp;
  let writer: string;
  let reader: string;
  beforeAll(async () => {
    inv = await startInventoryApp();
    writer = await inv.tokens.token(['inventory:read', 'inventory:write']);
    reader = await inv.tokens.token(['inventory:read']);
  });
  afterAll(() => inv.close());

  const get = (itemId: string, token = reader) =>
    inv.app.inject({ method: 'GET', url: `/api/v1/inventory/${itemId}`, headers: bearer(token) });
  const adjust = (itemId: string, payload: object, token = writer) =>
    inv.app.inject({
      method: 'POST',
      url: `/api/v1/inventory/${itemId}/adjustments`,
      headers: bearer(token),
      payload,
    });

  it('creates an empty stock row when an item is created, once however often the event comes', async () => {
    const itemId = randomUUID();
    await inv.handle(itemCreated(itemId));
    await inv.handle(itemCreated(itemId));
    const { rows } = await inv.admin.query('SELECT * FROM inventory.stock WHERE item_id = $1', [itemId]);
    expect(rows).toHaveLength(1);
    expect((await get(itemId)).json()).toEqual({ itemId, available: 0, reserved: 0 });
  });

  it('adds and removes stock through adjustments and answers with the new levels', async () => {
    const itemId = await inv.stockedItem(0);
    const added = await adjust(itemId, { delta: 10, reason: 'delivery' });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toEqual({ itemId, available: 10, reserved: 0 });
    expect((await adjust(itemId, { delta: -3, reason: 'damaged' })).json()).toEqual({
      itemId,
      available: 7,
      reserved: 0,
    });
    expect((await get(itemId)).json().available).toBe(7);
  });

  it('refuses an adjustment below zero with a stable code and changes nothing', async () => {
    const itemId = await inv.stockedItem(7);
    const refused = await adjust(itemId, { delta: -8, reason: 'miscount' });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 409, code: 'INVENTORY.INSUFFICIENT_STOCK' });
    expect(await inv.levels(itemId)).toEqual({ available: 7, reserved: 0 });
    const audit = await inv.admin.query('SELECT delta FROM inventory.adjustments WHERE item_id = $1', [
      itemId,
    ]);
    expect(audit.rows).toEqual([{ delta: 7 }]);
  });

  it('keeps an audit row of who adjusted, by how much, why and when', async () => {
    const itemId = await inv.stockedItem(0);
    const userId = randomUUID();
    await adjust(
      itemId,
      { delta: 4, reason: '  stocktake  ' },
      await inv.tokens.token(['inventory:write'], userId),
    );
    const { rows } = await inv.admin.query(
      `SELECT delta, reason, adjusted_by, available_after, created_at FROM inventory.adjustments WHERE item_id = $1`,
      [itemId],
    );
    expect(rows).toEqual([
      {
        delta: 4,
        reason: 'stocktake',
        adjusted_by: userId,
        available_after: 4,
        created_at: expect.any(Date),
      },
    ]);
  });

  it('never lets concurrent adjustments take stock below zero', async () => {
    const itemId = await inv.stockedItem(20);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => adjust(itemId, { delta: -1, reason: 'concurrent' })),
    );
    const statuses = results.map((res) => res.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.filter((status) => status === 409)).toHaveLength(30);
    expect(await inv.levels(itemId)).toEqual({ available: 0, reserved: 0 });
  });

  it('has a CHECK constraint that refuses negative stock even from a direct update', async () => {
    const itemId = await inv.stockedItem(3);
    await expect(
      inv.dataSource.query('UPDATE inventory.stock SET available = available - 4 WHERE item_id = $1', [
        itemId,
      ]),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      inv.dataSource.query('UPDATE inventory.stock SET reserved = -1 WHERE item_id = $1', [itemId]),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await inv.levels(itemId)).toEqual({ available: 3, reserved: 0 });
  });

  it('refuses stock beyond what an item may hold as 422, not a server error', async () => {
    const itemId = await inv.stockedItem(0);
    await inv.admin.query('UPDATE inventory.stock SET available = 999999999 WHERE item_id = $1', [itemId]);
    const refused = await adjust(itemId, { delta: 2, reason: 'too much' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('INVENTORY.STOCK_LIMIT_EXCEEDED');
  });

  it('validates adjustments: a non-zero bounded integer delta and a reason of 1-200 characters', async () => {
    const itemId = await inv.stockedItem(0);
    for (const payload of [
      { delta: 0, reason: 'x' },
      { delta: 1.5, reason: 'x' },
      { delta: '5', reason: 'x' },
      { delta: 1_000_001, reason: 'x' },
      { delta: -1_000_001, reason: 'x' },
      { delta: 1 },
      { delta: 1, reason: '' },
      { delta: 1, reason: '   ' },
      { delta: 1, reason: 'x'.repeat(201) },
      { delta: 1, reason: 'x', available: 100 },
    ]) {
      const res = await adjust(itemId, payload);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
      expect(res.json().errors.length).toBeGreaterThan(0);
    }
    expect((await adjust(itemId, { delta: 1_000_000, reason: 'x'.repeat(200) })).statusCode).toBe(200);
  });

  it('answers 404 for an unknown item and 400 for a malformed id', async () => {
    const unknown = randomUUID();
    expect((await get(unknown)).statusCode).toBe(404);
    expect((await get(unknown)).json().code).toBe('INVENTORY.ITEM_NOT_FOUND');
    expect((await adjust(unknown, { delta: 1, reason: 'x' })).statusCode).toBe(404);
    const bad = await get('not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ field: 'itemId', message: 'itemId must be a UUID' }]);
    expect((await adjust('not-a-uuid', { delta: 1, reason: 'x' })).statusCode).toBe(400);
  });

  it('needs a valid token (401) holding the right scope (403)', async () => {
    const itemId = await inv.stockedItem(1);
    expect((await inv.app.inject({ method: 'GET', url: `/api/v1/inventory/${itemId}` })).statusCode).toBe(
      401,
    );
    expect((await get(itemId, 'not.a.token')).statusCode).toBe(401);
    const customer = await inv.tokens.token(['items:read', 'orders:read', 'orders:write']);
    expect((await get(itemId, customer)).statusCode).toBe(403);
    expect((await adjust(itemId, { delta: 1, reason: 'x' }, reader)).statusCode).toBe(403);
    expect((await adjust(itemId, { delta: 1, reason: 'x' }, customer)).statusCode).toBe(403);
    expect(await inv.levels(itemId)).toEqual({ available: 1, reserved: 0 });
  });

  it('keeps a deleted item’s levels, and a deletion that overtakes the creation stays', async () => {
    const itemId = await inv.stockedItem(5);
    await inv.handle(itemDeleted(itemId));
    expect((await get(itemId)).json()).toEqual({ itemId, available: 5, reserved: 0 });
    const early = randomUUID();
    await inv.handle(itemDeleted(early));
    await inv.handle(itemCreated(early));
    const { rows } = await inv.admin.query('SELECT discontinued_at FROM inventory.stock WHERE item_id = $1', [
      early,
    ]);
    expect(rows[0].discontinued_at).toBeInstanceOf(Date);
  });

  it('carries the request id into the low_stock event an adjustment causes', async () => {
    const itemId = await inv.stockedItem(6);
    const requestId = `req-${randomUUID()}`;
    const res = await inv.app.inject({
      method: 'POST',
      url: `/api/v1/inventory/${itemId}/adjustments`,
      headers: { ...bearer(writer), 'x-request-id': requestId },
      payload: { delta: -3, reason: 'breakage' },
    });
    expect(res.statusCode).toBe(200);
    const [event] = (await inv.emitted('inventory.low_stock')).filter((e) => e.aggregateId === itemId);
    expect(event).toMatchObject({ correlationId: requestId, data: { itemId, available: 3, threshold: 5 } });
  });

  it('describes both routes in its OpenAPI document', async () => {
    const doc = (await inv.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/inventory/{itemId}', '/api/v1/inventory/{itemId}/adjustments']),
    );
  });
});
