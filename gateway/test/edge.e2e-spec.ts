import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { FakeUpstream, sendJson } from './support/fake-upstream.fixture';
import {
  rawRequest,
  sample,
  startGateway,
  uniquePrefix,
  type GatewayUnderTest,
} from './support/gateway-harness.fixture';
import { TokenMinter } from './support/token-minter.fixture';

// The gateway in-process in front of fake services: what it forwards, what it
// refuses before any service sees it, and how it answers for a failed one.
describe('the gateway edge, in front of fake services', () => {
  let minter: TokenMinter;
  let users: FakeUpstream;
  let items: FakeUpstream;
  let gateway: GatewayUnderTest;
  let reader: string;
  let writer: string;

  beforeAll(async () => {
    minter = await TokenMinter.create();
    users = await FakeUpstream.start();
    items = await FakeUpstream.start();
    users.handler = (seen, response) =>
      seen.url === '/.well-known/jwks.json'
        ? sendJson(response, 200, minter.jwks())
        : sendJson(response, 200, { method: seen.method, url: seen.url });
    gateway = await startGateway({
      USERS_URL: users.url,
      ITEMS_URL: items.url,
      REDIS_KEY_PREFIX: uniquePrefix('edge'),
      CORS_ORIGINS: 'https://shop.example',
      UPSTREAM_TIMEOUT: '400ms',
      BODY_LIMIT_BYTES: '2048',
    });
    reader = await minter.token({ sub: 'reader-1', scope: 'items:read' });
    writer = await minter.token({ sub: 'writer-1', scope: 'items:read items:write' });
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([users.close(), items.close()]);
  });
  beforeEach(() => {
    items.seen.length = 0;
    users.seen.length = 0;
    items.handler = (seen, response) => sendJson(response, 200, { method: seen.method, url: seen.url });
  });

  const call = (path: string, options: Parameters<typeof request>[1] = {}) =>
    request(`${gateway.url}${path}`, options);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('forwarding', () => {
    it('forwards an authorised request with its path, query, body and Authorization unchanged', async () => {
      const body = JSON.stringify({ name: 'Lamp', price: '12.50' });
      const res = await call('/api/v1/items/42/image?size=small&x=%20y', {
        method: 'PUT',
        headers: { ...bearer(writer), 'content-type': 'application/json' },
        body,
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toEqual({
        method: 'PUT',
        url: '/api/v1/items/42/image?size=small&x=%20y',
      });
      const [seen] = items.seen;
      expect(seen.headers.authorization).toBe(`Bearer ${writer}`);
      expect(seen.body.toString()).toBe(body);
    });

    it('tells the service who asked, and asks it for an uncompressed answer', async () => {
      await call('/api/v1/items', {
        headers: { ...bearer(reader), 'accept-encoding': 'gzip, br', 'x-forwarded-for': '6.6.6.6' },
      });
      const { headers } = items.seen[0];
      // The client's own X-Forwarded-For is not trusted (TRUST_PROXY is off).
      expect(headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(headers['x-forwarded-proto']).toBe('http');
      expect(headers['x-forwarded-host']).toBe(`127.0.0.1:${gateway.port}`);
      expect(headers['accept-encoding']).toBe('identity');
    });

    it('passes a well-formed x-request-id to the service and back, and replaces a malformed one', async () => {
      const kept = await call('/api/v1/items', {
        headers: { ...bearer(reader), 'x-request-id': 'client-trace.42' },
      });
      expect(kept.headers['x-request-id']).toBe('client-trace.42');
      expect(items.seen[0].headers['x-request-id']).toBe('client-trace.42');

      const replaced = await call('/api/v1/items', {
        headers: { ...bearer(reader), 'x-request-id': 'no spaces <allowed>' },
      });
      const generated = replaced.headers['x-request-id'] as string;
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(items.seen[1].headers['x-request-id']).toBe(generated);
    });

    it('forwards public routes without a token', async () => {
      const res = await call('/api/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toEqual({ method: 'POST', url: '/api/v1/users' });
    });

    it('drops hop-by-hop headers both ways, and those the client names in Connection', async () => {
      items.handler = (_seen, response) => {
        response.setHeader('keep-alive', 'timeout=5');
        response.setHeader('x-service-hop', 'internal');
        response.setHeader('connection', 'x-service-hop');
        sendJson(response, 200, { ok: true });
      };
      const res = await rawRequest(gateway.port, '/api/v1/items/5', 'GET', {
        ...bearer(reader),
        'x-client-hop': 'secret',
        te: 'trailers',
        connection: 'close, x-client-hop',
      });
      expect(res.status).toBe(200);
      expect(res.headers['x-service-hop']).toBeUndefined();
      expect(res.headers['keep-alive']).toBeUndefined();
      const { headers } = items.seen[0];
      expect(headers['x-client-hop']).toBeUndefined();
      expect(headers.te).toBeUndefined();
      expect(headers.host).toBe(new URL(items.url).host);
    });

    it('streams a request body to the service and a long answer back, byte for byte', async () => {
      const upload = Buffer.from(Array.from({ length: 2000 }, (_, index) => index % 251));
      const answer = Buffer.from(Array.from({ length: 300_000 }, (_, index) => (index * 7) % 256));
      items.handler = (seen, response) => {
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'x-bytes-seen': seen.body.length,
        });
        // In pieces, as a service streaming an image does.
        response.write(answer.subarray(0, 100_000));
        setTimeout(() => response.end(answer.subarray(100_000)), 20);
      };
      const res = await call('/api/v1/items/3/image', {
        method: 'PUT',
        headers: { ...bearer(writer), 'content-type': 'application/octet-stream' },
        body: upload,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-bytes-seen']).toBe('2000');
      expect(Buffer.from(await res.body.arrayBuffer()).equals(answer)).toBe(true);
      expect(items.seen[0].body.equals(upload)).toBe(true);
    });

    it('answers HEAD like GET without a body', async () => {
      const res = await call('/api/v1/items/7', { method: 'HEAD', headers: bearer(reader) });
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('');
      expect(items.seen[0].method).toBe('HEAD');
    });
  });

  describe('the edge check', () => {
    it('answers 401 with a Bearer challenge when the token is missing, and never reaches the service', async () => {
      const res = await call('/api/v1/items/1');
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await res.body.json()).toMatchObject({
        status: 401,
        title: 'Unauthorized',
        code: 'GATEWAY.TOKEN_MISSING',
      });
      expect(items.seen).toHaveLength(0);
    });

    it.each([
      ['a malformed token', async () => 'not-a-jwt', 'malformed'],
      ['a token signed by another key', async () => (await TokenMinter.create()).token(), 'unknown_key'],
      ['an expired token', async () => minter.token({ expiresIn: -60 }), 'expired'],
      [
        'a token from another issuer',
        async () => minter.token({ issuer: 'http://evil.test' }),
        'wrong_issuer',
      ],
    ])(
      'answers 401 invalid_token for %s, and never reaches the service',
      async (_name, makeToken, reason) => {
        const res = await call('/api/v1/items/1', { headers: bearer(await makeToken()) });
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe(
          `Bearer error="invalid_token", error_description="${reason}"`,
        );
        await res.body.dump();
        expect(items.seen).toHaveLength(0);
      },
    );

    it('answers 403 insufficient_scope when the token lacks the scope, and never reaches the service', async () => {
      const res = await call('/api/v1/items', {
        method: 'POST',
        headers: { ...bearer(reader), 'content-type': 'application/json' },
        body: '{"name":"x"}',
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="items:write"');
      expect(await res.body.json()).toMatchObject({
        status: 403,
        detail: 'This needs the scope items:write.',
        code: 'GATEWAY.SCOPE_MISSING',
      });
      expect(items.seen).toHaveLength(0);
    });

    it('answers 405 with Allow for a method the route table does not list', async () => {
      const res = await call('/api/v1/items/1', { method: 'PATCH', headers: bearer(writer) });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('GET, POST, PUT, DELETE, HEAD');
      await res.body.dump();
      expect(items.seen).toHaveLength(0);
    });

    it('answers 404 problem+json for a path no route table entry covers', async () => {
      const res = await call('/api/v9/anything', { headers: bearer(writer) });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await res.body.json()).toMatchObject({
        status: 404,
        type: 'urn:shop:problem:GATEWAY.NOT_FOUND',
        code: 'GATEWAY.NOT_FOUND',
      });
    });

    it('forwards only the exact path of an exact entry', async () => {
      const res = await call('/auth/revoke/extra', { method: 'POST' });
      expect(res.statusCode).toBe(404);
      await res.body.dump();
    });
  });

  describe('the path guard', () => {
    it.each([
      ['/api/v1/items/../../metrics', 400],
      ['/api/v1/items/..', 400],
      ['/api/v1/items/./1', 400],
      ['/api/v1/items/%2e%2e/%2e%2e/metrics', 400],
      ['/api/v1/items/%2E%2E/metrics', 400],
      ['/api/v1/items%2f..%2fmetrics', 400],
      ['/api/v1/items%2F1', 400],
      ['/api/v1/items/%252e%252e/metrics', 400],
      ['/api/v1/items/..%5cmetrics', 400],
      ['/api/v1/items\\..\\metrics', 400],
      ['/api/v1/items/..;/metrics', 400],
      ['//metrics', 400],
      ['/api/v1/items//1', 400],
      ['http://gateway.test/metrics', 400],
      ['/metrics', 404],
      ['/METRICS', 404],
      ['/internal/x', 404],
      ['/api/v1/users/internal/x', 404],
      ['/api/v1/items/metrics', 404],
      ['/api/v1/items/1/internal;x=1', 404],
    ])('refuses %s with %i before any service sees it', async (target, status) => {
      const res = await rawRequest(gateway.port, target, 'GET', bearer(writer));
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['x-request-id']).toBeDefined();
      expect(JSON.parse(res.body).code).toBe(status === 400 ? 'GATEWAY.PATH_AMBIGUOUS' : 'GATEWAY.NOT_FOUND');
      expect(items.seen).toHaveLength(0);
      expect(users.seen).toHaveLength(0);
    });

    it('answers a hidden path exactly as a path no route serves, so probing learns nothing', async () => {
      const answer = async (target: string) => {
        const { status, body } = await rawRequest(gateway.port, target, 'GET', bearer(writer));
        const { instance, requestId: _requestId, detail, ...rest } = JSON.parse(body);
        return { status, rest, detail: detail.replace(target, '<path>'), instance: instance === target };
      };
      expect(await answer('/api/v9/metrics')).toEqual(await answer('/api/v9/metricz'));
    });

    it('lets dots inside a segment and encoded characters in the query through', async () => {
      const res = await rawRequest(gateway.port, '/api/v1/items/v1.2..3?q=%2e%2e%2fx', 'GET', bearer(reader));
      expect(res.status).toBe(200);
      expect(items.seen[0].url).toBe('/api/v1/items/v1.2..3?q=%2e%2e%2fx');
    });
  });

  describe('answers for a failed service', () => {
    it('answers 503 with Retry-After when the service refuses connections, and counts it', async () => {
      const down = await startGateway({
        USERS_URL: users.url,
        ITEMS_URL: 'http://127.0.0.1:1',
        REDIS_KEY_PREFIX: uniquePrefix('down'),
      });
      try {
        const res = await request(`${down.url}/api/v1/items`, { headers: bearer(reader) });
        expect(res.statusCode).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(await res.body.json()).toMatchObject({
          status: 503,
          detail: 'The items service is unavailable; try again shortly.',
          type: 'urn:shop:problem:GATEWAY.UPSTREAM_UNAVAILABLE',
          code: 'GATEWAY.UPSTREAM_UNAVAILABLE',
        });
        expect(
          sample(await down.metrics(), 'gateway_upstream_errors_total', {
            upstream: 'items',
            reason: 'unavailable',
          }),
        ).toBe(1);
      } finally {
        await down.close();
      }
    });

    it('answers 504 when the service does not answer within UPSTREAM_TIMEOUT', async () => {
      items.handler = () => undefined; // never answers
      const started = Date.now();
      const res = await call('/api/v1/items', { headers: bearer(reader) });
      expect(res.statusCode).toBe(504);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await res.body.json()).toMatchObject({ status: 504, code: 'GATEWAY.UPSTREAM_TIMEOUT' });
      expect(
        sample(await gateway.metrics(), 'gateway_upstream_errors_total', {
          upstream: 'items',
          reason: 'timeout',
        }),
      ).toBe(1);
    });

    it('answers 502 when the service drops the connection instead of answering, and counts it', async () => {
      items.handler = (_seen, response) => response.socket!.destroy();
      const res = await call('/api/v1/items', {
        method: 'POST',
        headers: { ...bearer(writer), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.statusCode).toBe(502);
      expect(await res.body.json()).toMatchObject({
        status: 502,
        detail: 'The items service failed to answer properly.',
        code: 'GATEWAY.UPSTREAM_BAD_RESPONSE',
      });
      expect(items.seen).toHaveLength(1); // a POST is never sent twice
      expect(
        sample(await gateway.metrics(), 'gateway_upstream_errors_total', {
          upstream: 'items',
          reason: 'bad_response',
        }),
      ).toBe(1);
    });

    it('retries a GET once when the kept-alive connection to the service was closed under it', async () => {
      let calls = 0;
      items.handler = (seen, response) =>
        ++calls === 1 ? response.socket!.destroy() : sendJson(response, 200, { url: seen.url });
      const res = await call('/api/v1/items/9', { headers: bearer(reader) });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toEqual({ url: '/api/v1/items/9' });
      expect(items.seen).toHaveLength(2);
    });
  });

  describe('request bodies', () => {
    it('refuses a body above BODY_LIMIT_BYTES with 413 before the service reads it', async () => {
      const res = await call('/api/v1/items', {
        method: 'POST',
        headers: { ...bearer(writer), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(3000) }),
      });
      expect(res.statusCode).toBe(413);
      expect(await res.body.json()).toMatchObject({ status: 413, code: 'GATEWAY.BODY_TOO_LARGE' });
      expect(items.seen).toHaveLength(0);
    });

    it('refuses a body without a declared length with 411', async () => {
      const res = await rawRequest(gateway.port, '/api/v1/items', 'POST', {
        ...bearer(writer),
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
      });
      expect(res.status).toBe(411);
      expect(JSON.parse(res.body)).toMatchObject({ status: 411, code: 'GATEWAY.LENGTH_REQUIRED' });
      expect(items.seen).toHaveLength(0);
    });
  });

  describe('compression', () => {
    const bigList = Array.from({ length: 200 }, (_, index) => ({
      id: index,
      name: `Item ${index}`,
      price: '12.50',
    }));

    beforeEach(() => {
      items.handler = (seen, response) =>
        sendJson(response, 200, seen.url.includes('big') ? bigList : { id: 1 });
    });

    it.each([
      ['gzip', gunzipSync],
      ['br', brotliDecompressSync],
    ])(
      'compresses a large proxied JSON answer with %s when the client accepts it',
      async (encoding, decompress) => {
        const res = await call('/api/v1/items?big=1', {
          headers: { ...bearer(reader), 'accept-encoding': encoding },
        });
        expect(res.headers['content-encoding']).toBe(encoding);
        expect(res.headers.vary).toMatch(/accept-encoding/i);
        const compressed = Buffer.from(await res.body.arrayBuffer());
        expect(compressed.length).toBeLessThan(JSON.stringify(bigList).length / 3);
        expect(JSON.parse(decompress(compressed).toString())).toEqual(bigList);
      },
    );

    it('leaves a small answer, and any answer to a client that does not accept compression, as is', async () => {
      const small = await call('/api/v1/items/1', {
        headers: { ...bearer(reader), 'accept-encoding': 'gzip' },
      });
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(await small.body.json()).toEqual({ id: 1 });
      const plain = await call('/api/v1/items?big=1', { headers: bearer(reader) });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(await plain.body.json()).toEqual(bigList);
    });
  });

  describe('headers on every answer', () => {
    it('sets the security headers and a locked-down CSP, on refusals too', async () => {
      const res = await call('/api/v1/items');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      await res.body.dump();
      const unknown = await call('/no/such/path');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['x-content-type-options']).toBe('nosniff');
      expect(unknown.headers['x-request-id']).toBeDefined();
      await unknown.body.dump();
    });

    it('answers a CORS preflight from an allowed origin, and gives a refused origin no CORS headers', async () => {
      const preflight = (origin: string) =>
        call('/api/v1/items', {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
      const allowed = await preflight('https://shop.example');
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(allowed.headers['access-control-allow-methods']).toContain('POST');
      expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toContain(
        'authorization',
      );
      await allowed.body.dump();

      const refused = await preflight('https://evil.example');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      await refused.body.dump();
      expect(items.seen).toHaveLength(0);
    });

    it('exposes the request id to allowed cross-origin callers', async () => {
      const res = await call('/api/v1/items', {
        headers: { ...bearer(reader), origin: 'https://shop.example' },
      });
      expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(String(res.headers['access-control-expose-headers']).toLowerCase()).toContain('x-request-id');
      await res.body.dump();
    });
  });

  describe('metrics and health', () => {
    it('never serves /metrics on the public port, and serves it on the admin server', async () => {
      const res = await call('/metrics');
      expect(res.statusCode).toBe(404);
      await res.body.dump();
      expect(await gateway.metrics()).toContain('# TYPE http_request_duration_seconds histogram');
    });

    it('labels request durations with the route table path, never the raw URL', async () => {
      await (await call('/api/v1/items/0b6a1e2c-raw-id', { headers: bearer(reader) })).body.dump();
      const text = await gateway.metrics();
      expect(text).toContain('route="/api/v1/items/*"');
      expect(text).not.toContain('0b6a1e2c-raw-id');
    });

    it('serves the probes on the public port', async () => {
      const live = await call('/health/live');
      expect(await live.body.json()).toEqual({ status: 'ok' });
      const ready = await call('/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(await ready.body.json()).toMatchObject({ checks: { redis: { status: 'up', critical: false } } });
    });
  });

  describe('the API documentation', () => {
    it('serves Swagger UI at /docs with a page CSP that lets its own scripts run', async () => {
      const page = await call('/docs');
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(await page.body.text()).toContain('/docs/static/swagger-ui-bundle.js');
      const bundle = await call('/docs/static/swagger-ui-bundle.js');
      expect(bundle.statusCode).toBe(200);
      expect(bundle.headers['content-type']).toMatch(/javascript/);
      await bundle.body.dump();
      const init = await call('/docs/static/swagger-initializer.js');
      const script = await init.body.text();
      expect(script).toContain('"url":"/docs/openapi/users.json"');
      expect(script).toContain('"url":"/docs/openapi/items.json"');
      const missing = await call('/docs/static/nothing.js');
      expect(missing.statusCode).toBe(404);
      expect(await missing.body.json()).toMatchObject({
        code: 'GATEWAY.NOT_FOUND',
        detail: 'No such file: nothing.js',
      });
    });

    it("serves each service's OpenAPI document, pointed at the gateway and fetched at most once per half minute", async () => {
      items.handler = (seen, response) =>
        sendJson(response, 200, { openapi: '3.0.0', info: { title: 'items' }, paths: {} });
      const first = await call('/docs/openapi/items.json');
      expect(await first.body.json()).toEqual({
        openapi: '3.0.0',
        info: { title: 'items' },
        paths: {},
        servers: [expect.objectContaining({ url: gateway.url })],
      });
      await (await call('/docs/openapi/items.json')).body.dump();
      expect(items.requestsTo('/openapi.json')).toHaveLength(1);
    });
  });
});
