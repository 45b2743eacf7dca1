import type { LightMyRequestResponse } from 'fastify';
import Ajv, { type ValidateFunction } from 'ajv';
import { randomUUID } from 'node:crypto';
import { OrdersApp } from './support/orders-app.fixture';

type Response = { content?: Record<string, { schema: object }>; headers?: Record<string, unknown> };
type Document = {
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
  components: object;
};

describe('the orders OpenAPI document', () => {
  let orders: OrdersApp;
  let document: Document;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validators = new Map<object, ValidateFunction>();

  beforeAll(async () => {
    orders = await OrdersApp.start({ ITEMS_RETRIES: '0' });
    document = (await orders.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    ajv.addSchema({ components: document.components }, 'orders.json');
  });
  afterAll(() => orders.close());
  afterEach(() => {
    orders.items.mode = { kind: 'normal' };
  });

  /** Fails unless the document lists this answer for the operation and its body fits the schema given. */
  function expectDocumented(method: string, path: string, response: LightMyRequestResponse) {
    const declared = document.paths[path]?.[method]?.responses[String(response.statusCode)];
    expect({ status: response.statusCode, declared: declared !== undefined }).toEqual({
      status: response.statusCode,
      declared: true,
    });
    const type = String(response.headers['content-type']).split(';')[0];
    const schema = declared.content?.[type]?.schema;
    expect({ type, schema: schema !== undefined }).toEqual({ type, schema: true });
    const schemaWithRefs = JSON.parse(JSON.stringify(schema).replaceAll('"#/', '"orders.json#/'));
    const validate = validators.get(schema!) ?? ajv.compile(schemaWithRefs);
    validators.set(schema!, validate);
    validate(response.json());
    expect(validate.errors ?? []).toEqual([]);
    return declared;
  }

  it('describes every answer of placing, reading, listing and cancelling an order', async () => {
    const alice = await orders.customer();
    const placed = await orders.place(alice.token, {
      lines: [{ itemId: orders.items.item('19.99'), quantity: 2 }],
    });
    expectDocumented('post', '/api/v1/orders', placed);
    const { id } = placed.json();
    expectDocumented('get', '/api/v1/orders', await orders.call('GET', '/api/v1/orders', alice.token));
    expectDocumented(
      'get',
      '/api/v1/orders/{id}',
      await orders.call('GET', `/api/v1/orders/${id}`, alice.token),
    );
    const cancelled = await orders.cancel(id, alice.token);
    expect(cancelled.json()).toMatchObject({ status: 'CANCELLED', cancelReason: 'customer' });
    expectDocumented('post', '/api/v1/orders/{id}/cancel', cancelled);
    expectDocumented('post', '/api/v1/orders/{id}/cancel', await orders.cancel(id, alice.token));
  });

  it('describes the problems of placing an order, the replay header and the 503s of items', async () => {
    const alice = await orders.customer();
    const post = (body: unknown, headers?: Record<string, string>) =>
      orders.place(alice.token, body, headers);
    const line = { itemId: orders.items.item('1.00'), quantity: 1 };
    const key = { 'idempotency-key': randomUUID() };

    expect((await post({ lines: [line] }, key)).statusCode).toBe(201);
    const replay = await post({ lines: [line] }, key);
    expect(Object.keys(expectDocumented('post', '/api/v1/orders', replay).headers ?? {})).toContain(
      'Idempotent-Replayed',
    );
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const reused = await post({ lines: [{ ...line, quantity: 2 }] }, key);
    expect(reused.json().code).toBe('ORDER.IDEMPOTENCY_KEY_REUSED');
    expectDocumented('post', '/api/v1/orders', reused);
    expectDocumented(
      'post',
      '/api/v1/orders',
      await post({ lines: [{ itemId: randomUUID(), quantity: 1 }] }),
    );
    const tooMany = await post({ lines: [{ ...line, quantity: 1001 }] });
    expect(expectDocumented('post', '/api/v1/orders', tooMany).content).toBeDefined();
    expect(tooMany.json().errors).toEqual([
      { field: 'lines.0.quantity', message: 'quantity must be at most 1000' },
    ]);
    expectDocumented('post', '/api/v1/orders', await post({ lines: [line] }, { 'idempotency-key': 'a b' }));

    orders.items.mode = { kind: 'status', status: 500 };
    const unavailable = await post({ lines: [line] });
    expect([unavailable.json().code, unavailable.headers['retry-after']]).toEqual([
      'ORDER.ITEMS_UNAVAILABLE',
      '1',
    ]);
    expect(Object.keys(expectDocumented('post', '/api/v1/orders', unavailable).headers ?? {})).toContain(
      'Retry-After',
    );
    orders.items.mode = { kind: 'status', status: 401 };
    const refused = await post({ lines: [{ itemId: orders.items.item('1.00'), quantity: 1 }] });
    expect(refused.json().code).toBe('ORDER.ITEMS_ERROR');
    expectDocumented('post', '/api/v1/orders', refused);
  });

  it("describes an unknown id, another customer's order, a malformed id, no token and a missing scope", async () => {
    const alice = await orders.customer();
    const bob = await orders.customer();
    const { id } = await orders.placeSimple(alice);
    const read = (url: string, token: string) => orders.call('GET', url, token);

    const others = await read(`/api/v1/orders/${id}`, bob.token);
    expect(others.statusCode).toBe(404);
    expectDocumented('get', '/api/v1/orders/{id}', others);
    expectDocumented('post', '/api/v1/orders/{id}/cancel', await orders.cancel(id, bob.token));
    expectDocumented('get', '/api/v1/orders/{id}', await read(`/api/v1/orders/${randomUUID()}`, alice.token));
    expectDocumented('get', '/api/v1/orders/{id}', await read('/api/v1/orders/not-a-uuid', alice.token));
    expectDocumented('get', '/api/v1/orders', await read('/api/v1/orders?limit=101', alice.token));
    const anonymous = await orders.app.inject({ method: 'GET', url: '/api/v1/orders' });
    expect(Object.keys(expectDocumented('get', '/api/v1/orders', anonymous).headers ?? {})).toContain(
      'WWW-Authenticate',
    );
    const reader = await orders.customer(['orders:read']);
    expectDocumented('post', '/api/v1/orders', await orders.place(reader.token, { lines: [] }));
  });
});
