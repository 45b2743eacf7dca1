import { CircuitState } from 'cockatiel';
import { eventually } from '@shop/shared/testing';
import { ItemsClient } from '../src/items/items.client';
import { OrdersApp } from './support/orders-app.fixture';

describe('pricing when the items service misbehaves', () => {
  let orders: OrdersApp;
  beforeAll(async () => {
    // The breaker keeps its default half-open delay (1 s): the figure production runs.
    orders = await OrdersApp.start({
      ITEMS_TIMEOUT: '300ms',
      ITEMS_RETRIES: '1',
      ITEMS_BREAKER_THRESHOLD: '4',
    });
  });
  afterAll(() => orders.close());
  afterEach(async () => {
    orders.items.mode = { kind: 'normal' };
    // Close any open breaker with a good call once it half-opens.
    if (breaker() !== CircuitState.Closed) await acceptedWithin(2500);
  });

  const breaker = () => orders.app.get(ItemsClient).breakerState;
  const order = async () => {
    const alice = await orders.customer();
    return { alice, body: { lines: [{ itemId: orders.items.item('1.00'), quantity: 1 }] } };
  };
  const placeOne = async () => {
    const { alice, body } = await order();
    return orders.place(alice.token, body);
  };
  const callsDuring = async (work: () => Promise<unknown>) => {
    const before = orders.items.requests.length;
    await work();
    return orders.items.requests.length - before;
  };
  /** Keeps ordering until an order is accepted; resolves with how long that took. */
  async function acceptedWithin(timeoutMs: number): Promise<number> {
    const started = Date.now();
    await eventually(async () => (await placeOne()).statusCode === 201, { timeoutMs, everyMs: 50 });
    return Date.now() - started;
  }
  /** Two orders × two attempts: the four failures that open the breaker. */
  async function openBreaker() {
    for (let i = 0; i < 2; i++) expect((await placeOne()).statusCode).toBe(503);
    expect(breaker()).toBe(CircuitState.Open);
  }
  /** Orders for `ms` while the breaker is open; every answer is a fast 503 with Retry-After: 1. */
  async function orderWhileOpen(ms: number) {
    const answers = new Set<string>();
    for (const until = Date.now() + ms; Date.now() < until;) {
      const res = await placeOne();
      answers.add(`${res.statusCode} ${res.headers['retry-after']} ${res.json().code}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([...answers]).toEqual(['503 1 ORDER.ITEMS_UNAVAILABLE']);
  }
  const breakerGauge = async () => {
    const text = (await orders.app.inject({ method: 'GET', url: '/metrics' })).body;
    return /^circuit_breaker_open\{[^}]*dependency="items"[^}]*\} (\S+)$/m.exec(text)?.[1];
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

  it('opens the breaker after repeated failures, stops calling items, and closes on the first good call after a second', async () => {
    expect(await breakerGauge()).toBe('0');
    orders.items.mode = { kind: 'status', status: 502 };
    await openBreaker();
    expect(await breakerGauge()).toBe('1');

    // Open: refused at once, items is not called at all.
    let res!: Awaited<ReturnType<OrdersApp['place']>>;
    expect(await callsDuring(async () => (res = await placeOne()))).toBe(0);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');

    // Items recovers: an order is accepted as soon as the breaker lets a trial call through.
    orders.items.mode = { kind: 'normal' };
    expect(await acceptedWithin(2000)).toBeLessThan(2000);
    expect(breaker()).toBe(CircuitState.Closed);
    expect(await breakerGauge()).toBe('0');
  });

  it('tries a failing items at most once a second, however many orders come', async () => {
    orders.items.mode = { kind: 'status', status: 500 };
    await openBreaker();
    // A trial 1 s and 2 s after the breaker opened, each failing and opening it again.
    const probes = await callsDuring(() => orderWhileOpen(2500));
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(3);
  });

  it('accepts an order within two seconds of a killed items being back (the restart of the fault suite)', async () => {
    await orders.items.down();
    try {
      await openBreaker();
      // Items restarting: every trial call meets a closed port and opens the breaker again.
      await orderWhileOpen(2000);
    } finally {
      await orders.items.up();
    }
    expect(await acceptedWithin(2000)).toBeLessThan(2000);
    expect(breaker()).toBe(CircuitState.Closed);
    expect(await breakerGauge()).toBe('0');
  });

  it('opens the breaker again when the half-open trial call fails', async () => {
    orders.items.mode = { kind: 'status', status: 500 };
    await openBreaker();
    // The first order that reaches items is the trial: it fails, and the retry is refused by the breaker.
    const trial = await eventually(
      async () => {
        const before = orders.items.requests.length;
        const res = await placeOne();
        const calls = orders.items.requests.length - before;
        return calls > 0 && { status: res.statusCode, calls };
      },
      { timeoutMs: 2000, everyMs: 50 },
    );
    expect(trial).toEqual({ status: 503, calls: 1 });
    expect(breaker()).toBe(CircuitState.Open);
    expect(await breakerGauge()).toBe('1');
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
