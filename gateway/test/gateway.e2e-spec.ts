import { createTestDatabase, type TestDatabase } from '@shop/shared/testing/test-database.fixture';
import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { rawRequest, sample } from './support/gateway-harness.fixture';
import { freePort, runScript, SystemProcess } from './support/system-processes.fixture';

// The real system as separate processes: users and items on their own
// database, and gateways in front of them. Builds nothing: run
// `npx tsc -b shared services/users services/items gateway` first (`npm test` does).
jest.setTimeout(60_000);

const ADMIN = { username: 'gatewayadmin', password: 'Admin123secret' };
const ISSUER = 'http://gateway.e2e';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_BODY = { 'content-type': 'application/json' };

interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
}

describe('the gateway in front of the real users and items services', () => {
  const run = randomBytes(4).toString('hex');
  const processes: SystemProcess[] = [];
  let db: TestDatabase;
  let users: SystemProcess;
  let items: SystemProcess;
  let gateway: SystemProcess;
  let gatewayAdminUrl: string;
  let limited: SystemProcess[];
  let withoutRedis: SystemProcess;
  let admin: Tokens;

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const service of ['users', 'items']) {
      await runScript(`services/${service}/dist/migrate.js`, {
        DATABASE_ADMIN_URL: db.adminUrl,
        SHOP_DB_NAME: db.name,
      });
    }
    const common = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: 'shop' };
    const [usersPort, itemsPort] = [await freePort(), await freePort()];
    [users, items] = await Promise.all([
      SystemProcess.start('users', 'services/users/dist/main.js', usersPort, {
        ...common,
        DATABASE_URL: db.runtimeUrl('users'),
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
      }),
      SystemProcess.start('items', 'services/items/dist/main.js', itemsPort, {
        ...common,
        DATABASE_URL: db.runtimeUrl('items'),
        USERS_URL: `http://127.0.0.1:${usersPort}`,
        REDIS_KEY_PREFIX: `test:e2e-items:${run}:`,
      }),
    ]);
    processes.push(users, items);

    const gatewayEnv = async (env: Record<string, string>) => ({
      ...common,
      USERS_URL: users.url,
      ITEMS_URL: items.url,
      ADMIN_PORT: String(await freePort()),
      CORS_ORIGINS: 'https://shop.example',
      ...env,
    });
    const mainEnv = await gatewayEnv({ REDIS_KEY_PREFIX: `test:e2e-gateway:${run}:`, LOG_LEVEL: 'info' });
    // Two replicas sharing one Redis prefix, with small limits; one gateway whose Redis is a closed port.
    const limits = {
      REDIS_KEY_PREFIX: `test:e2e-limited:${run}:`,
      RATE_LIMIT_PER_MINUTE: '5',
      LOGIN_RATE_LIMIT_PER_MINUTE: '3',
    };
    const started = await Promise.all([
      SystemProcess.start('gateway', 'gateway/dist/main.js', await freePort(), mainEnv),
      SystemProcess.start('gateway-a', 'gateway/dist/main.js', await freePort(), await gatewayEnv(limits)),
      SystemProcess.start('gateway-b', 'gateway/dist/main.js', await freePort(), await gatewayEnv(limits)),
      SystemProcess.start(
        'gateway-no-redis',
        'gateway/dist/main.js',
        await freePort(),
        await gatewayEnv({
          REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
          REDIS_KEY_PREFIX: `test:e2e-down:${run}:`,
        }),
      ),
    ]);
    processes.push(...started);
    [gateway, ...limited] = started;
    withoutRedis = limited.pop()!;
    gatewayAdminUrl = `http://127.0.0.1:${mainEnv.ADMIN_PORT}`;
    admin = await login(gateway, ADMIN.username, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await db?.drop();
  }, 30_000);

  const call = (target: SystemProcess, path: string, options: Parameters<typeof request>[1] = {}) =>
    request(`${target.url}${path}`, options);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function login(target: SystemProcess, username: string, password: string): Promise<Tokens> {
    const res = await call(target, '/auth/token', {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
    });
    if (res.statusCode !== 200)
      throw new Error(`login of ${username} failed: ${res.statusCode} ${await res.body.text()}`);
    return (await res.body.json()) as Tokens;
  }

  async function register(): Promise<{ username: string; password: string }> {
    const user = { username: `u${randomBytes(6).toString('hex')}`, password: 'Passw0rdX' };
    const res = await call(gateway, '/api/v1/users', {
      method: 'POST',
      headers: JSON_BODY,
      body: JSON.stringify({ ...user, email: `${user.username}@example.com` }),
    });
    expect(res.statusCode).toBe(201);
    await res.body.dump();
    return user;
  }

  /** How many API requests the items service itself has handled, from its own /metrics. */
  async function itemsApiRequests(): Promise<number> {
    const text = await (await call(items, '/metrics')).body.text();
    return text
      .split('\n')
      .filter(
        (line) => line.startsWith('http_request_duration_seconds_count{') && line.includes('route="/api/'),
      )
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }

  describe('accounts, through the gateway', () => {
    it('registers a customer, logs in, refreshes and reads its own profile', async () => {
      const customer = await register();
      const tokens = await login(gateway, customer.username, customer.password);
      expect(tokens.scope).toBe('items:read orders:read orders:write');

      const refreshed = await call(gateway, '/auth/token', {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
        }).toString(),
      });
      expect(refreshed.statusCode).toBe(200);
      const rotated = (await refreshed.body.json()) as Tokens;
      expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

      const me = await call(gateway, '/api/v1/users/me', { headers: bearer(rotated.access_token) });
      expect(me.statusCode).toBe(200);
      expect(await me.body.json()).toMatchObject({
        username: customer.username,
        scopes: ['items:read', 'orders:read', 'orders:write'],
      });
    });

    it('serves the public keys without a token', async () => {
      const res = await call(gateway, '/.well-known/jwks.json');
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    });
  });

  describe('items, through the gateway', () => {
    it('creates, reads, lists, replaces and deletes an item', async () => {
      const created = await call(gateway, '/api/v1/items', {
        method: 'POST',
        headers: { ...bearer(admin.access_token), ...JSON_BODY },
        body: JSON.stringify({ name: 'Espresso cup', price: 12.5, tax: '1.00' }),
      });
      expect(created.statusCode).toBe(201);
      const item = (await created.body.json()) as { id: string };
      expect(item).toMatchObject({ name: 'Espresso cup', price: '12.50', tax: '1.00' });

      const read = await call(gateway, `/api/v1/items/${item.id}`, { headers: bearer(admin.access_token) });
      expect(await read.body.json()).toMatchObject({ id: item.id, name: 'Espresso cup' });

      const page = await call(gateway, '/api/v2/items?skip=0&limit=5', {
        headers: bearer(admin.access_token),
      });
      expect(await page.body.json()).toMatchObject({
        skip: 0,
        limit: 5,
        total: expect.any(Number),
        data: expect.any(Array),
      });

      const replaced = await call(gateway, `/api/v1/items/${item.id}`, {
        method: 'PUT',
        headers: { ...bearer(admin.access_token), ...JSON_BODY },
        body: JSON.stringify({ name: 'Tea cup', price: '9.00' }),
      });
      expect(replaced.statusCode).toBe(200);
      expect(await replaced.body.json()).toMatchObject({ name: 'Tea cup', price: '9.00', tax: null });

      const deleted = await call(gateway, `/api/v1/items/${item.id}`, {
        method: 'DELETE',
        headers: bearer(admin.access_token),
      });
      expect(deleted.statusCode).toBe(204);
      const gone = await call(gateway, `/api/v1/items/${item.id}`, { headers: bearer(admin.access_token) });
      expect(gone.statusCode).toBe(404);
      expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
      await gone.body.dump();
    });

    it('streams an image upload to the items service and the image back, byte for byte', async () => {
      const created = await call(gateway, '/api/v1/items', {
        method: 'POST',
        headers: { ...bearer(admin.access_token), ...JSON_BODY },
        body: JSON.stringify({ name: 'Pictured', price: '3.00' }),
      });
      const { id } = (await created.body.json()) as { id: string };
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
        'base64',
      );
      const form = new FormData();
      form.append('file', new Blob([png], { type: 'image/png' }), 'dot.png');
      const upload = await fetch(`${gateway.url}/api/v1/items/${id}/image`, {
        method: 'PUT',
        headers: bearer(admin.access_token),
        body: form,
      });
      expect(upload.status).toBe(204);

      const image = await call(gateway, `/api/v1/items/${id}/image`, { headers: bearer(admin.access_token) });
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
      expect(Buffer.from(await image.body.arrayBuffer()).equals(png)).toBe(true);
    });

    it('compresses a large item list with gzip and with br, identical to the plain list', async () => {
      for (let index = 0; index < 12; index++) {
        const res = await call(gateway, '/api/v1/items', {
          method: 'POST',
          headers: { ...bearer(admin.access_token), ...JSON_BODY },
          body: JSON.stringify({
            name: `Bulk item ${index}`,
            description: 'A long description. '.repeat(10),
            price: '1.00',
          }),
        });
        expect(res.statusCode).toBe(201);
        await res.body.dump();
      }
      const path = '/api/v1/items?skip=0&limit=100';
      const plain = await call(gateway, path, { headers: bearer(admin.access_token) });
      const plainBody = Buffer.from(await plain.body.arrayBuffer());
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plainBody.length).toBeGreaterThan(2048);

      for (const [encoding, decompress] of [
        ['gzip', gunzipSync],
        ['br', brotliDecompressSync],
      ] as const) {
        const res = await call(gateway, path, {
          headers: { ...bearer(admin.access_token), 'accept-encoding': encoding },
        });
        expect(res.headers['content-encoding']).toBe(encoding);
        const body = Buffer.from(await res.body.arrayBuffer());
        expect(body.length).toBeLessThan(plainBody.length);
        expect(JSON.parse(decompress(body).toString())).toEqual(JSON.parse(plainBody.toString()));
      }
    });
  });

  describe('the edge check', () => {
    it('refuses missing and invalid tokens with 401 before the items service is reached', async () => {
      const before = await itemsApiRequests();
      const missing = await call(gateway, '/api/v1/items');
      expect(missing.statusCode).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      await missing.body.dump();
      const forged = `${admin.access_token.slice(0, -4)}AAAA`;
      const invalid = await call(gateway, '/api/v1/items', { headers: bearer(forged) });
      expect(invalid.statusCode).toBe(401);
      expect(invalid.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
      await invalid.body.dump();
      expect(await itemsApiRequests()).toBe(before);
    });

    it('refuses a customer creating an item with 403 before the items service is reached', async () => {
      const customer = await register();
      const { access_token } = await login(gateway, customer.username, customer.password);
      const before = await itemsApiRequests();
      const res = await call(gateway, '/api/v1/items', {
        method: 'POST',
        headers: { ...bearer(access_token), ...JSON_BODY },
        body: JSON.stringify({ name: 'Not mine to sell', price: '1.00' }),
      });
      expect(res.statusCode).toBe(403);
      expect(await res.body.json()).toMatchObject({
        status: 403,
        detail: 'This needs the scope items:write.',
      });
      expect(await itemsApiRequests()).toBe(before);
    });
  });

  describe('request ids', () => {
    const unknownItem = '/api/v1/items/00000000-0000-4000-8000-000000000000';

    it("keeps the client's x-request-id, and the service sees the same one", async () => {
      const res = await call(gateway, unknownItem, {
        headers: { ...bearer(admin.access_token), 'x-request-id': `e2e-${run}` },
      });
      expect(res.statusCode).toBe(404);
      expect(res.headers['x-request-id']).toBe(`e2e-${run}`);
      // The items service writes the request id it received into its problem body.
      expect(await res.body.json()).toMatchObject({ requestId: `e2e-${run}` });
    });

    it('writes one access log line per request, carrying the request id', async () => {
      const requestId = `log-${run}`;
      const res = await call(gateway, '/api/v1/items', { headers: { 'x-request-id': requestId } });
      expect(res.statusCode).toBe(401);
      await res.body.dump();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = gateway
        .output()
        .split('\n')
        .filter((line) => line.includes(`"requestId":"${requestId}"`));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({
        service: 'gateway',
        req: { method: 'GET', url: '/api/v1/items' },
        res: { statusCode: 401 },
        msg: 'request completed',
      });
    });

    it('replaces a malformed x-request-id with a generated one, which the service sees too', async () => {
      const res = await call(gateway, unknownItem, {
        headers: { ...bearer(admin.access_token), 'x-request-id': 'bad id!' },
      });
      const generated = res.headers['x-request-id'] as string;
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(await res.body.json()).toMatchObject({ requestId: generated });
    });
  });

  describe('paths the gateway never forwards', () => {
    it.each([
      ['/api/v1/items/../../metrics', 400],
      ['/api/v1/items/%2e%2e/%2e%2e/metrics', 400],
      ['/api/v1/items%2f..%2fmetrics', 400],
      ['//metrics', 400],
      ['/metrics', 404],
      ['/internal/x', 404],
      ['/api/v1/users/internal/x', 404],
    ])('refuses %s with %i', async (target, status) => {
      const port = Number(new URL(gateway.url).port);
      const res = await rawRequest(port, target, 'GET', bearer(admin.access_token));
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).not.toContain('http_request_duration_seconds');
    });

    it('serves /metrics on the admin port, with the gateway counters', async () => {
      const res = await request(`${gatewayAdminUrl}/metrics`);
      expect(res.statusCode).toBe(200);
      const text = await res.body.text();
      expect(text).toContain('gateway_upstream_errors_total');
      expect(text).toContain('route="/api/v1/items/*"');
    });
  });

  describe('rate limits', () => {
    it('shares the general limit between two replicas and answers 429 with Retry-After past it', async () => {
      const customer = await register();
      const { access_token } = await login(limited[0], customer.username, customer.password);
      const statuses: number[] = [];
      for (let index = 0; index < 6; index++) {
        const res = await call(limited[index % 2], '/api/v1/items?limit=1', {
          headers: bearer(access_token),
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
          expect(await res.body.json()).toMatchObject({ status: 429 });
        } else {
          await res.body.dump();
        }
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    });

    it('limits password attempts per IP and username across replicas', async () => {
      const customer = await register();
      const attempt = async (target: SystemProcess) => {
        const res = await call(target, '/auth/token', {
          method: 'POST',
          headers: FORM,
          body: new URLSearchParams({
            grant_type: 'password',
            username: customer.username,
            password: 'Wrong1234',
          }).toString(),
        });
        return {
          status: res.statusCode,
          retryAfter: res.headers['retry-after'],
          body: await res.body.json(),
        };
      };
      const answers = [
        await attempt(limited[0]),
        await attempt(limited[1]),
        await attempt(limited[0]),
        await attempt(limited[1]),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 429]);
      expect(answers[0].body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
      expect(Number(answers[3].retryAfter)).toBeGreaterThanOrEqual(1);
    });

    it('without Redis, refuses logins with 503 and Retry-After but lets other requests through', async () => {
      const login = await call(withoutRedis, '/auth/token', {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams({
          grant_type: 'password',
          username: ADMIN.username,
          password: ADMIN.password,
        }).toString(),
      });
      expect(login.statusCode).toBe(503);
      expect(login.headers['retry-after']).toBe('5');
      expect(await login.body.json()).toMatchObject({ status: 503 });

      const read = await call(withoutRedis, '/api/v1/items?limit=1', { headers: bearer(admin.access_token) });
      expect(read.statusCode).toBe(200);
      await read.body.dump();
    });
  });

  describe('browser-facing headers', () => {
    it('answers a CORS preflight for an allowed origin and not for another', async () => {
      const preflight = (origin: string) =>
        call(gateway, '/api/v1/items', {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization',
          },
        });
      const allowed = await preflight('https://shop.example');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
      await allowed.body.dump();
      const refused = await preflight('https://evil.example');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      await refused.body.dump();
    });

    it('sets the security headers on proxied answers', async () => {
      const res = await call(gateway, '/api/v1/items?limit=1', { headers: bearer(admin.access_token) });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['content-security-policy']).toBeDefined();
      await res.body.dump();
    });

    it("serves every service's OpenAPI document for Swagger UI", async () => {
      const res = await call(gateway, '/docs/openapi/items.json');
      expect(res.statusCode).toBe(200);
      const document = (await res.body.json()) as { paths: Record<string, unknown>; servers: unknown };
      expect(Object.keys(document.paths)).toContain('/api/v1/items');
      expect(document.servers).toEqual([expect.objectContaining({ url: gateway.url })]);
    });
  });

  it('counts no upstream errors while every service is up', async () => {
    const text = await (await request(`${gatewayAdminUrl}/metrics`)).body.text();
    expect(sample(text, 'gateway_upstream_errors_total', { upstream: 'items' })).toBe(0);
  });
});
