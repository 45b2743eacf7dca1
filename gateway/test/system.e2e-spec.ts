import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@shop/shared/testing';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { bootstrapBroker, freePort, runScript, SystemProcess } from './support/system-processes.fixture';
import { openSocket, type TestSocket } from './support/ws-client.fixture';

// The whole system as separate processes, on a database and a broker vhost of
// its own, seen only through the gateway: the order saga ends in WebSocket
// pushes. Builds nothing: run `npx tsc -b shared services/* gateway` first (`npm test` does).
jest.setTimeout(60_000);

const SERVICES = ['users', 'items', 'orders', 'inventory'] as const;
const ADMIN = { username: 'systemadmin', password: 'Admin123secret' };
const JSON_BODY = { 'content-type': 'application/json' };

describe('the whole system through the gateway', () => {
  const run = randomBytes(4).toString('hex');
  const processes: SystemProcess[] = [];
  const sockets: TestSocket[] = [];
  let db: TestDatabase;
  let vhost: TestVhost;
  let gateway: SystemProcess;
  let wsUrl: string;
  let adminToken: string;
  let itemId: string;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let aliceSocket: TestSocket;
  let bobSocket: TestSocket;
  let staffSocket: TestSocket;
  let confirmedOrderId: string;

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    await bootstrapBroker(vhost.name);
    await Promise.all(
      SERVICES.map((service) =>
        runScript(`services/${service}/dist/migrate.js`, {
          DATABASE_ADMIN_URL: db.adminUrl,
          SHOP_DB_NAME: db.name,
        }),
      ),
    );
    const ports = { users: 0, items: 0, orders: 0, inventory: 0, gateway: 0, admin: 0 };
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    const urls = Object.fromEntries(
      SERVICES.map((service) => [service, `http://127.0.0.1:${ports[service]}`]),
    );
    const common = {
      JWT_ISSUER: 'http://system.e2e',
      JWT_AUDIENCE: 'shop',
      USERS_URL: urls.users,
      ITEMS_URL: urls.items,
    };
    const broker = (service: string) => vhost.urlFor(`${service}_svc`, `${service}_broker_dev_password`);
    const started = await Promise.all([
      ...SERVICES.map((service) =>
        SystemProcess.start(service, `services/${service}/dist/main.js`, ports[service], {
          ...common,
          DATABASE_URL: db.runtimeUrl(service),
          RABBITMQ_URL: broker(service),
          REDIS_KEY_PREFIX: `test:system:${run}:${service}:`,
          ...(service === 'users' ? { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } : {}),
          // Stock of 2 going to 1 crosses it, so the staff hear about it.
          ...(service === 'inventory' ? { LOW_STOCK_THRESHOLD: '2' } : {}),
        }),
      ),
      SystemProcess.start('gateway', 'gateway/dist/main.js', ports.gateway, {
        ...common,
        ORDERS_URL: urls.orders,
        INVENTORY_URL: urls.inventory,
        ADMIN_PORT: String(ports.admin),
        RABBITMQ_URL: broker('gateway'),
        REDIS_KEY_PREFIX: `test:system:${run}:gateway:`,
      }),
    ]);
    processes.push(...started);
    gateway = started[started.length - 1];
    wsUrl = `ws://127.0.0.1:${ports.gateway}/ws`;
    // Every consumer's queue must exist before the first event is published.
    await Promise.all(started.map((process) => brokerUp(process.url)));
    await brokerUp(`http://127.0.0.1:${ports.admin}`);
    adminToken = await login(ADMIN.username, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await Promise.all(processes.map((process) => process.stop()));
    await Promise.all([db?.drop(), vhost?.delete()]);
  }, 30_000);

  const call = async (path: string, token: string | null, method = 'GET', body?: unknown) => {
    const res = await request(`${gateway.url}${path}`, {
      method: method as 'GET',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? JSON_BODY : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null };
  };
  async function login(username: string, password: string): Promise<string> {
    const res = await request(`${gateway.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
    });
    expect(res.statusCode).toBe(200);
    return ((await res.body.json()) as { access_token: string }).access_token;
  }
  async function customer(): Promise<{ id: string; token: string }> {
    const user = { username: `c${randomBytes(5).toString('hex')}`, password: 'Passw0rdX' };
    const created = await call('/api/v1/users', null, 'POST', {
      ...user,
      email: `${user.username}@example.com`,
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, token: await login(user.username, user.password) };
  }
  const open = (protocols?: string[], query = '') => {
    const socket = openSocket(`${wsUrl}${query}`, protocols);
    sockets.push(socket);
    return socket;
  };

  it('lets the admin create an item and stock 2 of it', async () => {
    const item = await call('/api/v1/items', adminToken, 'POST', { name: `Lamp ${run}`, price: '12.50' });
    expect(item.status).toBe(201);
    itemId = item.body.id;
    // The stock row appears when inventory hears item.created.
    const adjusted = await eventually(async () => {
      const res = await call(`/api/v1/inventory/${itemId}/adjustments`, adminToken, 'POST', {
        delta: 2,
        reason: 'restock',
      });
      return res.status < 300 ? res : null;
    });
    expect(adjusted.body).toMatchObject({ available: 2 });
  });

  it('opens sockets for two customers (subprotocol and ticket) and for the admin', async () => {
    [alice, bob] = await Promise.all([customer(), customer()]);
    aliceSocket = open(['bearer', alice.token]);
    const ticket = await call('/ws/tickets', bob.token, 'POST');
    expect(ticket.status).toBe(201);
    bobSocket = open(undefined, `?ticket=${ticket.body.ticket}`);
    staffSocket = open(['bearer', adminToken]);
    await Promise.all([aliceSocket.ready, bobSocket.ready, staffSocket.ready]);
    expect(aliceSocket.ws.protocol).toBe('bearer');
  });

  it("confirms an order of 1 on its owner's socket only, and tells the staff stock is low", async () => {
    const placed = await call('/api/v1/orders', alice.token, 'POST', { lines: [{ itemId, quantity: 1 }] });
    expect(placed.status).toBe(201);
    confirmedOrderId = placed.body.id;
    expect(await aliceSocket.next('order.confirmed', 15_000)).toMatchObject({
      orderId: confirmedOrderId,
      status: 'CONFIRMED',
    });
    expect(await staffSocket.next('inventory.low_stock', 5_000)).toMatchObject({ itemId, available: 1 });
    expect(bobSocket.messages.map((message) => message.type)).toEqual(['ready']);
  });

  it('rejects an order of 5, on the socket and over HTTP', async () => {
    const placed = await call('/api/v1/orders', alice.token, 'POST', { lines: [{ itemId, quantity: 5 }] });
    expect(placed.status).toBe(201);
    expect(await aliceSocket.next('order.rejected', 15_000)).toMatchObject({
      orderId: placed.body.id,
      status: 'REJECTED',
    });
    expect((await call(`/api/v1/orders/${placed.body.id}`, alice.token)).body.status).toBe('REJECTED');
  });

  it('cancels the confirmed order and puts its stock back', async () => {
    const cancelled = await call(`/api/v1/orders/${confirmedOrderId}/cancel`, alice.token, 'POST');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await aliceSocket.next('order.cancelled', 15_000)).toMatchObject({
      orderId: confirmedOrderId,
      status: 'CANCELLED',
    });
    await eventually(async () => {
      const level = await call(`/api/v1/inventory/${itemId}`, adminToken);
      return level.body?.available === 2 ? level : null;
    });
    expect(bobSocket.messages.map((message) => message.type)).toEqual(['ready']);
  });

  it('closes sockets without credentials or with a bad token with 1008', async () => {
    expect((await open().closed).code).toBe(1008);
    expect((await open(['bearer', 'not.a.token']).closed).code).toBe(1008);
  });

  it("closes a disabled customer's socket and refuses their token within seconds", async () => {
    const patched = await call(`/api/v1/users/${alice.id}`, adminToken, 'PATCH', { disabled: true });
    expect(patched.status).toBe(200);
    expect(await aliceSocket.closed).toMatchObject({ code: 1008 });
    await eventually(
      async () => ((await call('/api/v1/orders', alice.token)).status === 401 ? true : null),
      5_000,
    );
    expect(bobSocket.ws.readyState).toBe(1);
  });
});

/** Polls until `attempt` gives something other than null. */
async function eventually<T>(attempt: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until a process reports its broker connection up. */
async function brokerUp(url: string): Promise<void> {
  await eventually(async () => {
    const report = (await (await fetch(`${url}/health/ready`)).json()) as {
      checks: Record<string, { status: string }>;
    };
    return report.checks.broker?.status === 'up' ? true : null;
  });
}
