import { request } from 'undici';
import { FakeUpstream, sendJson } from './support/fake-upstream.fixture';
import { sample, startGateway, uniquePrefix, type GatewayUnderTest } from './support/gateway-harness.fixture';
import { TokenMinter } from './support/token-minter.fixture';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const passwordGrant = (username: string) => `grant_type=password&username=${username}&password=Passw0rd%21`;

describe('rate limits, counted in Redis', () => {
  let minter: TokenMinter;
  let users: FakeUpstream;
  let items: FakeUpstream;
  const gateways: GatewayUnderTest[] = [];

  beforeAll(async () => {
    minter = await TokenMinter.create();
    users = await FakeUpstream.start();
    items = await FakeUpstream.start();
    users.handler = (seen, response) =>
      sendJson(response, 200, seen.url === '/.well-known/jwks.json' ? minter.jwks() : { ok: true });
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await Promise.all([users.close(), items.close()]);
  });
  beforeEach(() => {
    users.seen.length = 0;
    items.seen.length = 0;
  });

  // Each test gets gateways with a Redis prefix of its own, so counts never leak between tests or runs.
  async function gatewayWith(env: Record<string, string>): Promise<GatewayUnderTest> {
    const gateway = await startGateway({ USERS_URL: users.url, ITEMS_URL: items.url, ...env });
    gateways.push(gateway);
    return gateway;
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('the general limit', () => {
    it('refuses the request after RATE_LIMIT_PER_MINUTE from one IP with 429, Retry-After and problem+json', async () => {
      const gateway = await gatewayWith({ REDIS_KEY_PREFIX: uniquePrefix('ip'), RATE_LIMIT_PER_MINUTE: '3' });
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const res = await request(`${gateway.url}/.well-known/jwks.json`);
        statuses.push(res.statusCode);
        expect(res.headers['x-ratelimit-remaining']).toBe(String(2 - attempt));
        await res.body.dump();
      }
      const refused = await request(`${gateway.url}/.well-known/jwks.json`);
      expect([...statuses, refused.statusCode]).toEqual([200, 200, 200, 429]);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await refused.body.json()).toMatchObject({
        status: 429,
        title: 'Too Many Requests',
        code: 'GATEWAY.RATE_LIMITED',
      });
      expect(users.requestsTo('/.well-known')).toHaveLength(3);
      expect(sample(await gateway.metrics(), 'gateway_rate_limited_total', { limit: 'general' })).toBe(1);
    });

    it("counts per token subject, so one busy user does not use up another user's allowance", async () => {
      const gateway = await gatewayWith({
        REDIS_KEY_PREFIX: uniquePrefix('user'),
        RATE_LIMIT_PER_MINUTE: '2',
      });
      const busy = await minter.token({ sub: 'busy-user' });
      const other = await minter.token({ sub: 'other-user' });
      const statusFor = async (token: string) => {
        const res = await request(`${gateway.url}/api/v1/items`, { headers: bearer(token) });
        await res.body.dump();
        return res.statusCode;
      };
      expect([await statusFor(busy), await statusFor(busy), await statusFor(busy)]).toEqual([200, 200, 429]);
      expect(await statusFor(other)).toBe(200);
      expect(items.seen).toHaveLength(3);
    });

    it('is shared by gateway replicas that share Redis', async () => {
      const prefix = uniquePrefix('replicas');
      const first = await gatewayWith({ REDIS_KEY_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: '3' });
      const second = await gatewayWith({ REDIS_KEY_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: '3' });
      const token = await minter.token({ sub: 'roaming-user' });
      const statusOn = async (gateway: GatewayUnderTest) => {
        const res = await request(`${gateway.url}/api/v1/items`, { headers: bearer(token) });
        await res.body.dump();
        return res.statusCode;
      };
      expect([
        await statusOn(first),
        await statusOn(second),
        await statusOn(first),
        await statusOn(second),
      ]).toEqual([200, 200, 200, 429]);
    });

    it('behind one trusted proxy, counts per client IP as that proxy saw it, which a client cannot forge', async () => {
      const gateway = await gatewayWith({
        REDIS_KEY_PREFIX: uniquePrefix('proxied'),
        RATE_LIMIT_PER_MINUTE: '1',
        TRUST_PROXY: '1',
      });
      const statusVia = async (forwardedFor: string) => {
        const res = await request(`${gateway.url}/.well-known/jwks.json`, {
          headers: { 'x-forwarded-for': forwardedFor },
        });
        await res.body.dump();
        return res.statusCode;
      };
      expect(await statusVia('203.0.113.7')).toBe(200);
      expect(await statusVia('203.0.113.7')).toBe(429);
      expect(await statusVia('198.51.100.1')).toBe(200);
      // A client prepending addresses of its own changes nothing: the proxy's entry is the last one.
      expect(await statusVia('10.9.9.9, 203.0.113.7')).toBe(429);
      expect(users.requestsTo('/.well-known')[0].headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    });

    it('fails open when Redis is unreachable: requests pass and the failures are counted', async () => {
      const gateway = await gatewayWith({
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_KEY_PREFIX: uniquePrefix('open'),
        RATE_LIMIT_PER_MINUTE: '1',
      });
      const token = await minter.token();
      for (let attempt = 0; attempt < 3; attempt++) {
        const res = await request(`${gateway.url}/api/v1/items`, { headers: bearer(token) });
        expect(res.statusCode).toBe(200);
        await res.body.dump();
      }
      expect(sample(await gateway.metrics(), 'gateway_rate_limiter_errors_total', { limit: 'general' })).toBe(
        3,
      );
      const ready = await request(`${gateway.url}/health/ready`);
      expect(await ready.body.json()).toMatchObject({
        status: 'degraded',
        checks: { redis: { status: 'down' } },
      });
    });
  });

  describe('the login limit', () => {
    it('forwards the token request form byte for byte', async () => {
      const gateway = await gatewayWith({ REDIS_KEY_PREFIX: uniquePrefix('form') });
      const form = 'grant_type=password&username=J%C3%BCrgen&password=p%26ss+w%3Drd&scope=items%3Aread';
      const res = await request(`${gateway.url}/auth/token`, { method: 'POST', headers: FORM, body: form });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      const [seen] = users.requestsTo('/auth/token');
      expect(seen.body.toString()).toBe(form);
      expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(seen.headers['content-length']).toBe(String(form.length));
    });

    it('refuses the attempt after LOGIN_RATE_LIMIT_PER_MINUTE for one IP and username, and only for that username', async () => {
      const gateway = await gatewayWith({
        REDIS_KEY_PREFIX: uniquePrefix('login'),
        LOGIN_RATE_LIMIT_PER_MINUTE: '2',
      });
      const attempt = async (username: string) => {
        const res = await request(`${gateway.url}/auth/token`, {
          method: 'POST',
          headers: FORM,
          body: passwordGrant(username),
        });
        return {
          status: res.statusCode,
          retryAfter: res.headers['retry-after'],
          body: await res.body.text(),
        };
      };
      expect((await attempt('alice')).status).toBe(200);
      // Usernames are counted case-insensitively, so changing case buys no extra guesses.
      expect((await attempt('ALICE')).status).toBe(200);
      const refused = await attempt('alice');
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused.body)).toMatchObject({
        status: 429,
        detail: 'Too many login attempts; wait a minute.',
        code: 'GATEWAY.LOGIN_RATE_LIMITED',
      });
      expect((await attempt('bob')).status).toBe(200);
      expect(users.requestsTo('/auth/token')).toHaveLength(3);
      expect(sample(await gateway.metrics(), 'gateway_rate_limited_total', { limit: 'login' })).toBe(1);
    });

    it('accepts only form-encoded token requests, so the username cannot be hidden from the limit', async () => {
      const gateway = await gatewayWith({ REDIS_KEY_PREFIX: uniquePrefix('json') });
      const res = await request(`${gateway.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'password', username: 'alice', password: 'x' }),
      });
      expect(res.statusCode).toBe(415);
      expect(await res.body.json()).toMatchObject({ status: 415, code: 'GATEWAY.LOGIN_FORM_REQUIRED' });
      expect(users.requestsTo('/auth/token')).toHaveLength(0);
    });

    it('refuses a token request above 8 KiB with 413 before reading it', async () => {
      const gateway = await gatewayWith({ REDIS_KEY_PREFIX: uniquePrefix('big') });
      const res = await request(`${gateway.url}/auth/token`, {
        method: 'POST',
        headers: FORM,
        body: `${passwordGrant('alice')}&padding=${'x'.repeat(8 * 1024)}`,
      });
      expect(res.statusCode).toBe(413);
      expect(await res.body.json()).toMatchObject({ status: 413, code: 'GATEWAY.BODY_TOO_LARGE' });
      expect(users.requestsTo('/auth/token')).toHaveLength(0);
    });

    it('fails closed when Redis is unreachable: password attempts get 503 with Retry-After, refresh grants still pass', async () => {
      const gateway = await gatewayWith({
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_KEY_PREFIX: uniquePrefix('closed'),
      });
      const login = await request(`${gateway.url}/auth/token`, {
        method: 'POST',
        headers: FORM,
        body: passwordGrant('alice'),
      });
      expect(login.statusCode).toBe(503);
      expect(login.headers['retry-after']).toBe('5');
      expect(await login.body.json()).toMatchObject({
        status: 503,
        detail: 'Logins are briefly unavailable; try again shortly.',
        code: 'GATEWAY.LOGIN_LIMIT_UNAVAILABLE',
      });
      expect(users.requestsTo('/auth/token')).toHaveLength(0);

      const refresh = await request(`${gateway.url}/auth/token`, {
        method: 'POST',
        headers: FORM,
        body: 'grant_type=refresh_token&refresh_token=abc',
      });
      expect(refresh.statusCode).toBe(200);
      await refresh.body.dump();
      expect(sample(await gateway.metrics(), 'gateway_rate_limiter_errors_total', { limit: 'login' })).toBe(
        1,
      );
    });
  });
});
