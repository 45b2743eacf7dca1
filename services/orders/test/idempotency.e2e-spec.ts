import { randomUUID } from 'node:crypto';
import { OrderExpiryService } from '../src/expiry/order-expiry.service';
import { OrdersApp } from './support/orders-app.fixture';

describe('placing an order with an Idempotency-Key', () => {
  let orders: OrdersApp;
  beforeAll(async () => {
    orders = await OrdersApp.start();
  });
  afterAll(() => orders.close());

  const key = () => ({ 'idempotency-key': randomUUID() });
  const oneLine = (price = '4.20') => ({ lines: [{ itemId: orders.items.item(price), quantity: 2 }] });

  it('replays the first response for a repeat, and one order exists', async () => {
    const alice = await orders.customer();
    const headers = key();
    const body = oneLine();
    const first = await orders.place(alice.token, body, headers);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const again = await orders.place(alice.token, body, headers);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await orders.countOrders('user_id = $1', [alice.id])).toBe(1);
    expect(await orders.events({ type: 'order.placed', aggregateId: first.json().id })).toHaveLength(1);
  });

  it('replays the first response, not the order as it stands after it changed', async () => {
    const alice = await orders.customer();
    const headers = key();
    const body = oneLine();
    const first = await orders.place(alice.token, body, headers);
    expect((await orders.cancel(first.json().id, alice.token)).json().status).toBe('CANCELLED');

    const again = await orders.place(alice.token, body, headers);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toMatchObject({ status: 'PENDING' });
    expect(again.json()).not.toHaveProperty('cancelReason');
    expect(again.body).toBe(first.body);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const alice = await orders.customer();
    const headers = key();
    const itemId = orders.items.item('1.00');
    const first = await orders.place(alice.token, { lines: [{ itemId, quantity: 1 }] }, headers);
    const again = await orders.place(
      alice.token,
      { lines: [{ quantity: 1, itemId: itemId.toUpperCase() }] },
      headers,
    );
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
  });

  it('replays even while items is unreachable', async () => {
    const alice = await orders.customer();
    const headers = key();
    const body = oneLine();
    const first = await orders.place(alice.token, body, headers);
    orders.items.mode = { kind: 'status', status: 500 };
    try {
      const again = await orders.place(alice.token, body, headers);
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
    } finally {
      orders.items.mode = { kind: 'normal' };
    }
  });

  it('creates one order for 20 concurrent identical requests', async () => {
    const alice = await orders.customer();
    const headers = key();
    const body = oneLine('3.33');
    // Slow prices keep all 20 past the replay check and racing into the order transaction.
    orders.items.delayMs = 150;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => orders.place(alice.token, body, headers)),
    ).finally(() => (orders.items.delayMs = 0));
    expect(
      orders.items.requests.filter((request) => request.path.endsWith(body.lines[0].itemId)),
    ).toHaveLength(20);
    expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
    expect(
      responses.filter((response) => response.headers['idempotent-replayed'] === undefined),
    ).toHaveLength(1);
    expect(await orders.countOrders('user_id = $1', [alice.id])).toBe(1);
    expect(await orders.events({ type: 'order.placed', aggregateId: responses[0].json().id })).toHaveLength(
      1,
    );
  });

  it('refuses the same key with a different body with 422', async () => {
    const alice = await orders.customer();
    const headers = key();
    await orders.place(alice.token, oneLine(), headers);
    const other = await orders.place(alice.token, oneLine(), headers);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('ORDER.IDEMPOTENCY_KEY_REUSED');
    expect(await orders.countOrders('user_id = $1', [alice.id])).toBe(1);
  });

  it('treats the same key from another user as another key', async () => {
    const [alice, bob] = [await orders.customer(), await orders.customer()];
    const headers = key();
    const body = oneLine();
    const forAlice = await orders.place(alice.token, body, headers);
    const forBob = await orders.place(bob.token, body, headers);
    expect(forBob.statusCode).toBe(201);
    expect(forBob.headers['idempotent-replayed']).toBeUndefined();
    expect(forBob.json().id).not.toBe(forAlice.json().id);
    expect(forBob.json().userId).toBe(bob.id);
  });

  it('does not remember a failed request: the same key works once items answers', async () => {
    const alice = await orders.customer();
    const headers = key();
    const body = oneLine();
    orders.items.mode = { kind: 'status', status: 503 };
    try {
      expect((await orders.place(alice.token, body, headers)).statusCode).toBe(503);
    } finally {
      orders.items.mode = { kind: 'normal' };
    }
    const retried = await orders.place(alice.token, body, headers);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'two words'],
    ['with a control character', 'a\u0001b'],
    ['with non-ASCII', 'clé'],
  ])('refuses a key that is %s with 400', async (_case, value) => {
    const alice = await orders.customer();
    const res = await orders.place(alice.token, oneLine(), { 'idempotency-key': value });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(await orders.countOrders('user_id = $1', [alice.id])).toBe(0);
  });

  it('accepts a key of 255 visible characters', async () => {
    const alice = await orders.customer();
    const res = await orders.place(alice.token, oneLine(), { 'idempotency-key': `${'~'.repeat(254)}!` });
    expect(res.statusCode).toBe(201);
  });

  it('ignores a key older than 24 h, and the scheduled job purges it', async () => {
    const alice = await orders.customer();
    const headers = key();
    const body = oneLine();
    const first = await orders.place(alice.token, body, headers);
    await orders.admin.query(
      `UPDATE orders.idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1`,
      [alice.id],
    );
    const later = await orders.place(alice.token, body, headers);
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().id).not.toBe(first.json().id);

    await orders.admin.query(
      `UPDATE orders.idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1`,
      [alice.id],
    );
    const { purged } = await orders.app.get(OrderExpiryService).runOnce();
    expect(purged).toBeGreaterThanOrEqual(1);
    const { rows } = await orders.admin.query('SELECT 1 FROM orders.idempotency_keys WHERE user_id = $1', [
      alice.id,
    ]);
    expect(rows).toHaveLength(0);
  });
});
