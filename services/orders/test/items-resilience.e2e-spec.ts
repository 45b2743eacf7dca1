import { CircuitState } from 'cockatiel';
import { ItemsClient } from '../src/items/items.client';
import { OrdersApp } from './support/orders-app.fixture';

describe('pricing when the items service misbehaves', () => {
  let orders: OrdersApp;
  beforeAll(async () => {
    orders = await OrdersApp.start({
      ITEMS_TIMEOUT: '300ms',
      ITEMS_RETRIES: '1',
      ITEMS_BREAKER_THRESHOLD: '4',
      ITEMS_BREAKER_HALF_OPEN_AFTER: '500ms',
    });
  });
  afterAll(() => orders.close());
  afterEach(async () => {
    orders.items.mode = { kind: 'normal' };
    // Let any open breaker reach its half-open delay, then close it with a good call.
    if (breaker() !== CircuitState.Closed) await closeBreaker();
  });

  const breaker = () => orders.app.get(ItemsClient).breakerState;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const order = async () => {
    const alice = await orders.customer();
    return { alice, body: { lines: [{ itemId: orders.items.item('1.00'), quantity: 1 }] } };
  };
  async function closeBreaker() {
    await sleep(550);
    const { alice, body } = await order();
    expect((await orders.place(alice.token, body)).statusCode).toBe(201);
  }
  const callsDuring = async (work: () => Promise<unknown>) => {
    const before = orders.items.requests.length;
    await work();
    return orders.items.requests.length - before;
  };

  it('retries a 5xx once, then answers 503 with Retry-After and stores nothing', async () => {
    const { alice, body } = await order();
    orders.items.mode = { kind: 'status', status: 500 };
    let res!: Awaited<ReturnType<OrdersApp['place']>>;
    expect(await callsDuring(async () => (res = await orders.place(alice.token, body)))).toBe(2);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ status: 503, code: 'ORDER.ITEMS_UNAVAILABLE' });
    expect(await orders.countOrders('user_id = $1', [alice.id])).toBe(0);
  });

  it('never retries a 404', async () => {
    const alice = await orders.customer();
    const body = { lines: [{ itemId: '5f0e3c1a-9d2b-4c6e-8a7f-0b1c2d3e4f50', quantity: 1 }] };
    expect(
      await callsDuring(async () => expect((await orders.place(alice.token, body)).statusCode).toBe(422)),
    ).toBe(1);
  });

  it('gives up on a call that hangs after its timeout, and answers 503', async () => {
    const { alice, body } = await order();
    orders.items.mode = { kind: 'hang' };
    const started = Date.now();
    const res = await orders.place(alice.token, body);
    expect(res.statusCode).toBe(503);
    // Two attempts of 300 ms each and a short backoff: far below any client's patience.
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 503 when nothing listens on the items port', async () => {
    const { alice, body } = await order();
    await orders.items.down();
    try {
      const res = await orders.place(alice.token, body);
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('ORDER.ITEMS_UNAVAILABLE');
    } finally {
      await orders.items.up();
    }
  });

  it('opens the breaker after repeated failures, stops calling items, and closes again after the half-open delay', async () => {
    orders.items.mode = { kind: 'status', status: 502 };
    // Two requests × two attempts = the four failures that open the breaker.
    for (let i = 0; i < 2; i++) {
      const { alice, body } = await order();
      expect((await orders.place(alice.token, body)).statusCode).toBe(503);
    }
    expect(breaker()).toBe(CircuitState.Open);

    // Open: refused at once, items is not called at all.
    const { alice, body } = await order();
    let res!: Awaited<ReturnType<OrdersApp['place']>>;
    expect(await callsDuring(async () => (res = await orders.place(alice.token, body)))).toBe(0);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');

    // Items recovers; after the half-open delay one trial call closes the breaker.
    orders.items.mode = { kind: 'normal' };
    expect((await orders.place(alice.token, body)).statusCode).toBe(503);
    await sleep(550);
    const trial = await orders.place(alice.token, body);
    expect(trial.statusCode).toBe(201);
    expect(breaker()).toBe(CircuitState.Closed);
  });

  it('opens the breaker again when the half-open trial call fails', async () => {
    orders.items.mode = { kind: 'status', status: 500 };
    for (let i = 0; i < 2; i++) {
      const { alice, body } = await order();
      await orders.place(alice.token, body);
    }
    expect(breaker()).toBe(CircuitState.Open);
    await sleep(550);
    const { alice, body } = await order();
    // The trial call fails: open again at once, and the retry is refused by the breaker.
    expect(
      await callsDuring(async () => expect((await orders.place(alice.token, body)).statusCode).toBe(503)),
    ).toBe(1);
    expect(breaker()).toBe(CircuitState.Open);
  });

  it('does not count 4xx answers towards the breaker', async () => {
    orders.items.mode = { kind: 'status', status: 404 };
    for (let i = 0; i < 6; i++) {
      const { alice, body } = await order();
      expect((await orders.place(alice.token, body)).statusCode).toBe(422);
    }
    expect(breaker()).toBe(CircuitState.Closed);
  });
});
