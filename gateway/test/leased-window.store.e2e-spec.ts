import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { leasedWindowStore, leaseSize } from '../src/rate-limit/leased-window.store';

type Result = { current: number; ttl: number };
const WINDOW_MS = 60_000;

describe('LeasedWindowStore', () => {
  const redis = new Redis('redis://127.0.0.1:6379', {
    keyPrefix: `test:lease:${randomBytes(4).toString('hex')}:`,
  });
  afterAll(() => redis.quit());

  const newStore = () => new (leasedWindowStore(redis, 'rl:'))();
  const incr = (store: ReturnType<typeof newStore>, key: string, max: number) =>
    new Promise<Result>((resolve, reject) =>
      store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), WINDOW_MS, max),
    );
  const counted = async (key: string) => Number(await redis.get(`rl:${key}`));

  it('reserves 1% of a limit at a time, between 1 and 50 places', () => {
    expect([leaseSize(5), leaseSize(10), leaseSize(1200), leaseSize(100_000)]).toEqual([1, 1, 12, 50]);
  });

  it('counts a small limit one request at a time, exactly', async () => {
    const store = newStore();
    const places = [];
    for (let index = 0; index < 4; index++) places.push((await incr(store, 'small', 3)).current);
    expect(places).toEqual([1, 2, 3, 4]);
    expect(await counted('small')).toBe(4);
  });

  it('gives each request its own place while asking Redis once per lease', async () => {
    const store = newStore();
    const places = [];
    for (let index = 0; index < 25; index++) places.push((await incr(store, 'leased', 1000)).current);
    expect(places).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(await counted('leased')).toBe(30); // three leases of ten
  });

  it('shares one reservation between the requests that arrive while it is on its way', async () => {
    const store = newStore();
    const results = await Promise.all(Array.from({ length: 50 }, () => incr(store, 'burst', 1000)));
    expect(new Set(results.map((result) => result.current)).size).toBe(50);
    expect(await counted('burst')).toBe(50); // five leases of ten, not fifty
  });

  it('never lets replicas together admit more than the limit', async () => {
    const replicas = [newStore(), newStore(), newStore()];
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, index) => incr(replicas[index % 3], 'shared', 200)),
    );
    const admitted = results.filter((result) => result.current <= 200);
    expect(new Set(admitted.map((result) => result.current)).size).toBe(admitted.length);
    expect(admitted.length).toBeLessThanOrEqual(200);
    // What is lost is at most one unused lease per replica.
    expect(admitted.length).toBeGreaterThanOrEqual(200 - 3 * leaseSize(200));
  });

  it('refuses the rest of a full window without asking Redis', async () => {
    const store = newStore();
    for (let index = 0; index < 3; index++) await incr(store, 'full', 2);
    const counts = await counted('full');
    const refused = await incr(store, 'full', 2);
    expect(refused.current).toBeGreaterThan(2);
    expect(refused.ttl).toBeGreaterThan(0);
    expect(refused.ttl).toBeLessThanOrEqual(WINDOW_MS);
    expect(await counted('full')).toBe(counts);
  });

  it('passes a Redis failure to every request waiting for the reservation', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const store = new (leasedWindowStore(down, 'rl:'))();
    const attempts = [1, 2].map(
      () => new Promise((resolve) => store.incr('any', (error) => resolve(error), WINDOW_MS, 1000)),
    );
    expect(await Promise.all(attempts)).toEqual([expect.any(Error), expect.any(Error)]);
    down.disconnect();
  });
});
