import { request } from 'undici';
import { FakeUpstream, sendJson } from './support/fake-upstream.fixture';
import { startGateway, uniquePrefix, type GatewayUnderTest } from './support/gateway-harness.fixture';
import { TokenMinter } from './support/token-minter.fixture';

// The served documents promise X-RateLimit-* on every answer of a limited route (edgeDocument):
// these are the answers that did not carry them before.
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the rate-limit headers the documents describe', () => {
  let minter: TokenMinter;
  let users: FakeUpstream;
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    minter = await TokenMinter.create();
    users = await FakeUpstream.start();
    users.handler = (seen, response) =>
      sendJson(
        response,
        200,
        seen.url === '/.well-known/jwks.json' ? minter.jwks() : { openapi: '3.0.0', info: {}, paths: {} },
      );
    gateway = await startGateway({
      USERS_URL: users.url,
      REDIS_KEY_PREFIX: uniquePrefix('edge-headers'),
      RATE_LIMIT_PER_MINUTE: '50',
      LOGIN_RATE_LIMIT_PER_MINUTE: '2',
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await users?.close();
  });

  const limitHeaders = (headers: Record<string, unknown>) => ({
    limit: headers['x-ratelimit-limit'],
    remaining: Number(headers['x-ratelimit-remaining']),
    reset: Number(headers['x-ratelimit-reset']),
  });

  it('are sent on what the edge refuses before forwarding (401, 403, 405), which counts against the address', async () => {
    const answers = [];
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }]) {
      const res = await request(`${gateway.url}/api/v1/users/me`, { headers });
      await res.body.dump();
      answers.push({ status: res.statusCode, ...limitHeaders(res.headers) });
    }
    const noScope = await request(`${gateway.url}/api/v1/items`, {
      headers: { authorization: `Bearer ${await minter.token({ scope: 'orders:read' })}` },
    });
    await noScope.body.dump();
    const notRouted = await request(`${gateway.url}/.well-known/jwks.json`, { method: 'DELETE' });
    await notRouted.body.dump();
    answers.push({ status: noScope.statusCode, ...limitHeaders(noScope.headers) });
    answers.push({ status: notRouted.statusCode, ...limitHeaders(notRouted.headers) });
    expect(answers.map((answer) => [answer.status, answer.limit])).toEqual([
      [401, '50'],
      [401, '50'],
      [403, '50'],
      [405, '50'],
    ]);
    // One address, one window: each refusal took a place.
    expect(answers.map((answer) => answer.remaining)).toEqual([49, 48, 47, 46]);
    for (const answer of answers) expect(answer.reset).toBeGreaterThan(0);
  });

  it("tell a password attempt where it stands against the login limit, down to the 429's 0", async () => {
    const attempts = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await request(`${gateway.url}/auth/token`, {
        method: 'POST',
        headers: FORM,
        body: 'grant_type=password&username=headers-user&password=x',
      });
      await res.body.dump();
      attempts.push({
        status: res.statusCode,
        ...limitHeaders(res.headers),
        retryAfter: res.headers['retry-after'],
      });
    }
    expect(attempts.map(({ status, limit, remaining }) => [status, limit, remaining])).toEqual([
      [200, '2', 1],
      [200, '2', 0],
      [429, '2', 0],
    ]);
    expect(Number(attempts[2].retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('are sent with the documents themselves', async () => {
    const res = await request(`${gateway.url}/docs/openapi/users.json`);
    await res.body.dump();
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('50');
    const unknown = await request(`${gateway.url}/docs/openapi/nothing.json`);
    await unknown.body.dump();
    expect([unknown.statusCode, unknown.headers['x-ratelimit-limit']]).toEqual([404, '50']);
    const asyncApi = await request(`${gateway.url}/asyncapi.json`);
    await asyncApi.body.dump();
    expect([asyncApi.statusCode, asyncApi.headers['x-ratelimit-limit']]).toEqual([200, '50']);
  });
});
