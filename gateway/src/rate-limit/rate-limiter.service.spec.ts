import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { RateLimiterService, type LimitVerdict } from './rate-limiter.service';

describe('RateLimiter', () => {
  const redis = new Redis('redis://127.0.0.1:6379', {
    keyPrefix: `test:limiter:${randomBytes(4).toString('hex')}:`,
  });
  afterAll(() => redis.quit());

  const take = (limiter: RateLimiterService, key: string) =>
    new Promise<LimitVerdict>((resolve, reject) =>
      limiter.take(key, (error, verdict) => (error ? reject(error) : resolve(verdict!))),
    );

  it('answers from a place already leased without waiting for Redis, also with a very high limit', async () => {
    const limiter = new RateLimiterService(redis, 'rl:', 100_000_000);
    await take(limiter, 'busy'); // reserves a lease of places in Redis
    let answered: LimitVerdict | undefined;
    limiter.take('busy', (_error, verdict) => (answered = verdict));
    expect(answered).toEqual({
      limit: 100_000_000,
      remaining: 100_000_000 - 2,
      resetSeconds: 60,
      exceeded: false,
    });
    expect(Number(await redis.get('rl:busy'))).toBeGreaterThanOrEqual(2);
  });

  it('says when the window is exceeded, and how long until it ends', async () => {
    const limiter = new RateLimiterService(redis, 'rl:', 2);
    const verdicts = [];
    for (let index = 0; index < 3; index++) verdicts.push(await take(limiter, 'small'));
    expect(verdicts.map((verdict) => [verdict.remaining, verdict.exceeded])).toEqual([
      [1, false],
      [0, false],
      [0, true],
    ]);
    expect(verdicts[2].resetSeconds).toBeGreaterThanOrEqual(1);
    expect(verdicts[2].resetSeconds).toBeLessThanOrEqual(60);
  });
});
