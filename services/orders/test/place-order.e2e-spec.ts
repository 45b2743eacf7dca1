import { randomUUID } from 'node:crypto';
import { OrdersApp } from './support/orders-app.fixture';

describe('placing an order', () => {
  let orders: OrdersApp;
  beforeAll(async () => {
    orders = await OrdersApp.start();
  });
  afterAll(() => orders.close());

  it('prices the order from items and totals it exactly', async () => {
    const alice = await orders.customer();
    const pen = orders.items.item('19.99');
    const pad = orders.items.item('0.10');
    const res = await orders.place(alice.token, {
      lines: [
        { itemId: pen, quantity: 3 },
        { itemId: pad, quantity: 2 },
      ],
    });
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(order).toEqual({
      id: expect.any(String),
      userId: alice.id,
      status: 'PENDING',
      lines: [
        { itemId: pen, quantity: 3, unitPrice: '19.99' },
        { itemId: pad, quantity: 2, unitPrice: '0.10' },
      ],
      total: '60.17',
      createdAt: expect.any(String),
    });
    expect(order.rejectReason).toBeUndefined();
    const stored = await orders.admin.query(
      'SELECT total::text, status, version FROM orders.orders WHERE id = $1',
      [order.id],
    );
    expect(stored.rows).toEqual([{ total: '60.17', status: 'PENDING', version: 1 }]);
  });

  it('totals 3 × 19.99 as 59.97', async () => {
    const alice = await orders.customer();
    const res = await orders.place(alice.token, {
      lines: [{ itemId: orders.items.item('19.99'), quantity: 3 }],
    });
    expect(res.json().total).toBe('59.97');
  });

  it('asks items with the caller’s own token and request id', async () => {
    const alice = await orders.customer();
    const itemId = orders.items.item('5.00');
    const res = await orders.place(
      alice.token,
      { lines: [{ itemId, quantity: 1 }] },
      { 'x-request-id': 'trace-me-42' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('trace-me-42');
    const seen = orders.items.requests.filter((request) => request.path === `/api/v1/items/${itemId}`);
    expect(seen).toEqual([
      { path: `/api/v1/items/${itemId}`, authorization: `Bearer ${alice.token}`, requestId: 'trace-me-42' },
    ]);
  });

  it('writes order.placed to the outbox with the priced lines', async () => {
    const alice = await orders.customer();
    const itemId = orders.items.item('2.50');
    const res = await orders.place(
      alice.token,
      { lines: [{ itemId, quantity: 4 }] },
      { 'x-request-id': 'corr-1' },
    );
    const order = res.json();
    expect(await orders.events({ aggregateId: order.id })).toEqual([
      {
        type: 'order.placed',
        aggregateId: order.id,
        aggregateVersion: 1,
        correlationId: 'corr-1',
        data: {
          orderId: order.id,
          userId: alice.id,
          lines: [{ itemId, quantity: 4, unitPrice: '2.50' }],
          total: '10.00',
        },
      },
    ]);
  });

  it('refuses an unknown item with 422 and stores no order', async () => {
    const alice = await orders.customer();
    const unknown = randomUUID();
    const res = await orders.place(alice.token, {
      lines: [
        { itemId: orders.items.item('1.00'), quantity: 1 },
        { itemId: unknown, quantity: 1 },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 422, code: 'ORDER.UNKNOWN_ITEM' });
    expect(res.json().detail).toContain(unknown);
    expect(await orders.countOrders('user_id = $1', [alice.id])).toBe(0);
  });

  it('refuses a total larger than an order may hold with 422', async () => {
    const alice = await orders.customer();
    const res = await orders.place(alice.token, {
      lines: [{ itemId: orders.items.item('9999999999.99'), quantity: 2 }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ORDER.TOTAL_TOO_LARGE');
  });

  it.each([
    ['no body', undefined],
    ['no lines', {}],
    ['zero lines', { lines: [] }],
    ['lines that are not an array', { lines: 'many' }],
    ['a line that is not an object', { lines: [7] }],
    ['a null line', { lines: [null] }],
    // Found by the security suite's fuzzing: ValidateNested looked inside and found nothing.
    ['a line that is an empty array', { lines: [[]] }],
    ['a line that is an array of lines', { lines: [[{ itemId: randomUUID(), quantity: 1 }]] }],
    ['quantity 0', { lines: [{ itemId: randomUUID(), quantity: 0 }] }],
    ['quantity 1001', { lines: [{ itemId: randomUUID(), quantity: 1001 }] }],
    ['a fractional quantity', { lines: [{ itemId: randomUUID(), quantity: 1.5 }] }],
    ['a quantity as a string', { lines: [{ itemId: randomUUID(), quantity: '2' }] }],
    ['a bad uuid', { lines: [{ itemId: 'not-a-uuid', quantity: 1 }] }],
    ['51 lines', { lines: Array.from({ length: 51 }, () => ({ itemId: randomUUID(), quantity: 1 })) }],
    [
      'the same item twice',
      { lines: [1, 2].map(() => ({ itemId: '7d1f9a56-58d5-4a39-9f0e-5d0e6f3b1c11', quantity: 1 })) },
    ],
    ['an unknown field', { lines: [{ itemId: randomUUID(), quantity: 1 }], total: '0.01' }],
    ['an unknown line field', { lines: [{ itemId: randomUUID(), quantity: 1, unitPrice: '0.01' }] }],
    ['an array body', [{ itemId: randomUUID(), quantity: 1 }]],
  ])('refuses %s with 400 and never calls items', async (_case, payload) => {
    const alice = await orders.customer();
    const before = orders.items.requests.length;
    const res = await orders.place(alice.token, payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(orders.items.requests.length).toBe(before);
  });

  it('lists the refused fields', async () => {
    const alice = await orders.customer();
    const res = await orders.place(alice.token, { lines: [{ itemId: 'nope', quantity: 0 }] });
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'lines.0.itemId' }),
        expect.objectContaining({ field: 'lines.0.quantity' }),
      ]),
    );
  });

  it('needs a token (401), and orders:write with items:read (403)', async () => {
    const body = { lines: [{ itemId: orders.items.item('1.00'), quantity: 1 }] };
    expect(
      (await orders.app.inject({ method: 'POST', url: '/api/v1/orders', payload: body })).statusCode,
    ).toBe(401);
    const reader = await orders.customer(['orders:read', 'items:read']);
    expect((await orders.place(reader.token, body)).statusCode).toBe(403);
    const noItems = await orders.customer(['orders:read', 'orders:write']);
    const res = await orders.place(noItems.token, body);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toContain('items:read');
  });

  it('answers 503 when items refuses the caller’s token it should have accepted', async () => {
    const alice = await orders.customer();
    orders.items.mode = { kind: 'status', status: 403 };
    try {
      const before = orders.items.requests.length;
      const res = await orders.place(alice.token, {
        lines: [{ itemId: orders.items.item('1.00'), quantity: 1 }],
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('ORDER.ITEMS_ERROR');
      // A 4xx is an answer: never retried.
      expect(orders.items.requests.length - before).toBe(1);
    } finally {
      orders.items.mode = { kind: 'normal' };
    }
  });

  it('answers 503 when items sends an item without a usable price', async () => {
    const alice = await orders.customer();
    const res = await orders.place(alice.token, {
      lines: [{ itemId: orders.items.item('free'), quantity: 1 }],
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('ORDER.ITEMS_ERROR');
  });

  it('describes its endpoints and the Idempotency-Key header at /openapi.json', async () => {
    const document = (await orders.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/orders/{id}/cancel']),
    );
    expect(JSON.stringify(document.paths['/api/v1/orders'].post.parameters)).toContain('Idempotency-Key');
  });

  it('counts placed orders in /metrics', async () => {
    const res = await orders.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/orders_placed_total\{service="orders"\} [1-9]/);
  });
});
