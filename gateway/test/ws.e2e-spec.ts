import { connect as connectTcp } from 'node:net';
import { createTestVhost, type TestVhost } from '@shop/shared/testing';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { EventFeedService } from '../src/events/event-feed.service';
import { SocketRegistryService } from '../src/ws/socket-registry.service';
import { FakeUpstream, sendJson } from './support/fake-upstream.fixture';
import { sample, startGateway, uniquePrefix, type GatewayUnderTest } from './support/gateway-harness.fixture';
import { TokenMinter } from './support/token-minter.fixture';
import { openSocket, type TestSocket } from './support/ws-client.fixture';

const SOURCES: Record<string, string> = { order: 'orders', inventory: 'inventory', user: 'users' };
const CUSTOMER = 'items:read orders:read orders:write';

// The gateway in-process with real Redis and RabbitMQ (a vhost of its own),
// a fake users service for the keys, and events published by the test.
describe('WebSocket notifications at the gateway', () => {
  let vhost: TestVhost;
  let broker: ChannelModel;
  let channel: Channel;
  let minter: TokenMinter;
  let users: FakeUpstream;
  let gateway: GatewayUnderTest;
  let wsUrl: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    vhost = await createTestVhost();
    broker = await connect(vhost.url);
    channel = await broker.createChannel();
    await channel.assertExchange('shop.events', 'topic', { durable: true });
    minter = await TokenMinter.create();
    users = await FakeUpstream.start();
    users.handler = (_seen, response) => sendJson(response, 200, minter.jwks());
    gateway = await startGateway({
      USERS_URL: users.url,
      RABBITMQ_URL: vhost.url,
      REDIS_KEY_PREFIX: uniquePrefix('ws'),
      CORS_ORIGINS: 'https://shop.example',
      WS_MAX_CONNECTIONS_PER_USER: '3',
    });
    wsUrl = `ws://127.0.0.1:${gateway.port}/ws`;
    await gateway.app.get(EventFeedService).waitUntilSubscribed();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await gateway?.close();
    await users?.close();
    await broker?.close();
    await vhost?.delete();
  });

  const open = (protocols?: string[], query = '', headers?: Record<string, string>) => {
    const socket = openSocket(`${wsUrl}${query}`, protocols, headers);
    sockets.push(socket);
    return socket;
  };
  const withToken = (token: string) => open(['bearer', token]);
  const customer = async (options: { sub?: string; expiresIn?: number; scope?: string } = {}) => {
    const sub = options.sub ?? randomUUID();
    return {
      sub,
      token: await minter.token({ sub, scope: options.scope ?? CUSTOMER, expiresIn: options.expiresIn }),
    };
  };
  const ticketFor = async (token: string) => {
    const res = await request(`${gateway.url}/ws/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.statusCode, body: (await res.body.json()) as { ticket: string; expiresIn: number } };
  };
  const publish = (type: string, data: Record<string, unknown>, raw?: Buffer) => {
    const event = {
      id: randomUUID(),
      type,
      version: 1,
      occurredAt: new Date().toISOString(),
      source: SOURCES[type.split('.')[0]],
      correlationId: randomUUID(),
      aggregateId: randomUUID(),
      aggregateVersion: 1,
      data,
    };
    channel.publish('shop.events', type, raw ?? Buffer.from(JSON.stringify(event)));
  };
  const confirmed = (userId: string, orderId = randomUUID()) => ({ orderId, userId, status: 'CONFIRMED' });
  const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('accepts an access token in the subprotocol header and answers with the bearer subprotocol', async () => {
    const { sub, token } = await customer();
    const socket = withToken(token);
    await socket.ready;
    expect(socket.ws.protocol).toBe('bearer');
    expect(await socket.next('ready')).toMatchObject({ userId: sub });
  });

  it('accepts a ticket once, and closes with 1008 when the same ticket comes again', async () => {
    const { token } = await customer();
    const { status, body } = await ticketFor(token);
    expect(status).toBe(201);
    expect(body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.expiresIn).toBeGreaterThan(0);
    expect(body.expiresIn).toBeLessThanOrEqual(30);

    await open(undefined, `?ticket=${body.ticket}`).ready;
    expect((await open(undefined, `?ticket=${body.ticket}`).closed).code).toBe(1008);
  });

  it('closes with 1008 for an unknown ticket and for an expired one', async () => {
    expect((await open(undefined, `?ticket=${'A'.repeat(43)}`).closed).code).toBe(1008);
    // A ticket never outlives its token: this one lives 2 s.
    const { token } = await customer({ expiresIn: 2 });
    const { body } = await ticketFor(token);
    expect(body.expiresIn).toBeLessThanOrEqual(2);
    await quietFor(2_500);
    expect((await open(undefined, `?ticket=${body.ticket}`).closed).code).toBe(1008);
  });

  it('closes with 1008 when no credentials come, or a bad token', async () => {
    expect((await open().closed).code).toBe(1008);
    expect((await withToken('not.a.token').closed).code).toBe(1008);
    const expired = await minter.token({ sub: randomUUID(), expiresIn: -60 });
    expect((await withToken(expired).closed).code).toBe(1008);
    const foreign = await (await TokenMinter.create()).token({ sub: randomUUID() });
    expect((await withToken(foreign).closed).code).toBe(1008);
  });

  it('refuses an upgrade from a browser origin not on the CORS list, and on another path', async () => {
    const { token } = await customer();
    const evil = open(['bearer', token], '', { origin: 'https://evil.example' });
    await expect(evil.ready).rejects.toThrow();
    const allowed = open(['bearer', token], '', { origin: 'https://shop.example' });
    await allowed.ready;
    const elsewhere = openSocket(`ws://127.0.0.1:${gateway.port}/api/v1/ws`, ['bearer', token]);
    sockets.push(elsewhere);
    await expect(elsewhere.ready).rejects.toThrow();
  });

  it('answers a refused handshake with the limit and CORS headers, and a malformed one with 400', async () => {
    const handshake = (headers: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        const socket = connectTcp(gateway.port, '127.0.0.1', () =>
          socket.write(
            `GET /ws HTTP/1.1\r\nHost: x\r\n${Object.entries(headers)
              .map(([name, value]) => `${name}: ${value}\r\n`)
              .join('')}\r\n`,
          ),
        );
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const upgrade = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13' };
    const evil = await handshake({
      ...upgrade,
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      Origin: 'https://evil.example',
    });
    expect(evil).toMatch(/^HTTP\/1.1 403 /);
    expect(evil).toMatch(/^X-RateLimit-Remaining: \d+\r$/m);
    expect(evil).not.toMatch(/Access-Control-Allow-Origin/);
    const malformed = await handshake({
      ...upgrade,
      'Sec-WebSocket-Key': 'short',
      Origin: 'https://shop.example',
    });
    expect(malformed).toMatch(/^HTTP\/1.1 400 /);
    expect(malformed).toMatch(/^X-RateLimit-Limit: \d+\r$/m);
    expect(malformed).toMatch(/^Access-Control-Allow-Origin: https:\/\/shop.example\r$/m);
  });

  it("pushes an order's outcome to its owner and to nobody else", async () => {
    const owner = await customer();
    const other = await customer();
    const ownerSocket = withToken(owner.token);
    const otherSocket = withToken(other.token);
    await Promise.all([ownerSocket.ready, otherSocket.ready]);

    const event = confirmed(owner.sub);
    publish('order.confirmed', event);
    expect(await ownerSocket.next('order.confirmed')).toEqual({
      orderId: event.orderId,
      status: 'CONFIRMED',
    });
    await quietFor(300);
    expect(otherSocket.messages.map((message) => message.type)).toEqual(['ready']);
    expect(
      sample(await gateway.metrics(), 'gateway_websocket_messages_total', { type: 'order.confirmed' }),
    ).toBeGreaterThan(0);
  });

  it('pushes low stock to holders of inventory:read and not to customers', async () => {
    const staff = withToken((await customer({ scope: 'inventory:read' })).token);
    const shopper = withToken((await customer()).token);
    await Promise.all([staff.ready, shopper.ready]);

    const itemId = randomUUID();
    publish('inventory.low_stock', { itemId, available: 1, threshold: 5 });
    expect(await staff.next('inventory.low_stock')).toMatchObject({ itemId, available: 1 });
    await quietFor(300);
    expect(shopper.messages.map((message) => message.type)).toEqual(['ready']);
  });

  it('drops an invalid event and goes on with the next', async () => {
    const owner = await customer();
    const socket = withToken(owner.token);
    await socket.ready;
    publish('order.confirmed', {}, Buffer.from('{not json'));
    publish('order.confirmed', { orderId: 'x', userId: owner.sub, status: 'CONFIRMED' });
    const event = confirmed(owner.sub);
    publish('order.confirmed', event);
    expect(await socket.next('order.confirmed')).toEqual({ orderId: event.orderId, status: 'CONFIRMED' });
    expect(socket.messages.filter((message) => message.type === 'order.confirmed')).toHaveLength(1);
  });

  it("closes a disabled user's sockets and refuses their still-valid token with 401", async () => {
    const victim = await customer();
    const socket = withToken(victim.token);
    await socket.ready;
    expect((await ticketFor(victim.token)).status).toBe(201);

    publish('user.disabled', { userId: victim.sub });
    expect(await socket.closed).toEqual({ code: 1008, reason: 'user disabled' });
    const res = await request(`${gateway.url}/ws/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${victim.token}` },
    });
    expect(res.statusCode).toBe(401);
    await res.body.dump();
    expect((await withToken(victim.token).closed).code).toBe(1008);
  });

  it('closes a socket when its token expires', async () => {
    const { token } = await customer({ expiresIn: 2 });
    const socket = withToken(token);
    await socket.ready;
    const started = Date.now();
    expect(await socket.closed).toEqual({ code: 1008, reason: 'token expired' });
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  it('closes with 1008 a socket above the per-user limit, and counts the open ones', async () => {
    const { sub } = await customer();
    const own = await Promise.all([1, 2, 3].map(async () => withToken((await customer({ sub })).token)));
    await Promise.all(own.map((socket) => socket.ready));
    expect(await withToken((await customer({ sub })).token).closed).toEqual({
      code: 1008,
      reason: 'too many connections',
    });
    expect(gateway.app.get(SocketRegistryService).countOf(sub)).toBe(3);
    expect(metricValue(await gateway.metrics(), 'gateway_websocket_connections')).toBeGreaterThanOrEqual(3);
  });
});

/** The value of a gauge without labels of its own (the registry may add default ones). */
function metricValue(text: string, name: string): number {
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
