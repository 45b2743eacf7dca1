import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@shop/shared/testing';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { bootstrapBroker, freePort, runScript, SystemProcess } from './support/system-processes.fixture';
import { openSocket, type TestSocket } from './support/ws-client.fixture';

// The users service and TWO gateway replicas as separate processes, with the
// broker users of scripts/broker (users_svc may publish announcement.*): an
// announcement posted through one replica reaches the sockets of both. Builds
// nothing: run `npx tsc -b shared services/users gateway` first (`npm test` does).
jest.setTimeout(60_000);

const ADMIN = { username: 'announcer', password: 'Admin123secret' };
const MESSAGE = 'The shop closes for maintenance at 22:00 UTC.';

describe('announcements and pings across two gateway replicas', () => {
  const run = randomBytes(4).toString('hex');
  const processes: SystemProcess[] = [];
  const sockets: TestSocket[] = [];
  let db: TestDatabase;
  let vhost: TestVhost;
  let replicas: SystemProcess[];
  let adminToken: string;

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    await bootstrapBroker(vhost.name);
    await runScript('services/users/dist/migrate.js', {
      DATABASE_ADMIN_URL: db.adminUrl,
      SHOP_DB_NAME: db.name,
    });
    const [usersPort, ...gatewayPorts] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    const common = { JWT_ISSUER: 'http://announcements.e2e', JWT_AUDIENCE: 'shop' };
    const broker = (service: string) => vhost.urlFor(`${service}_svc`, `${service}_broker_dev_password`);
    const users = await SystemProcess.start('users', 'services/users/dist/main.js', usersPort, {
      ...common,
      DATABASE_URL: db.runtimeUrl('users'),
      RABBITMQ_URL: broker('users'),
      REDIS_KEY_PREFIX: `test:announcements:${run}:users:`,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
    });
    processes.push(users);
    // Two replicas of one deployment: the same variables but for their ports.
    replicas = await Promise.all(
      [0, 1].map((replica) =>
        SystemProcess.start(`gateway-${replica}`, 'gateway/dist/main.js', gatewayPorts[replica * 2], {
          ...common,
          USERS_URL: users.url,
          ADMIN_PORT: String(gatewayPorts[replica * 2 + 1]),
          RABBITMQ_URL: broker('gateway'),
          REDIS_KEY_PREFIX: `test:announcements:${run}:gateway:`,
        }),
      ),
    );
    processes.push(...replicas);
    // Each replica's own queue must be bound before the first announcement.
    await Promise.all([
      brokerUp(users.url),
      ...gatewayPorts.filter((_, i) => i % 2 === 1).map((port) => brokerUp(`http://127.0.0.1:${port}`)),
    ]);
    adminToken = await login(replicas[0], ADMIN.username, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await Promise.all(processes.map((process) => process.stop()));
    await Promise.all([db?.drop(), vhost?.delete()]);
  }, 30_000);

  const open = (replica: SystemProcess, token: string) => {
    const socket = openSocket(`${replica.url.replace('http', 'ws')}/ws`, ['bearer', token]);
    sockets.push(socket);
    return socket;
  };
  const announce = (replica: SystemProcess, token: string, message: string) =>
    request(`${replica.url}/api/v1/announcements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    });
  async function customer(replica: SystemProcess): Promise<string> {
    const user = { username: `c${randomBytes(5).toString('hex')}`, password: 'Passw0rdX' };
    const res = await request(`${replica.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...user, email: `${user.username}@example.com` }),
    });
    expect(res.statusCode).toBe(201);
    await res.body.dump();
    return login(replica, user.username, user.password);
  }
  const typesOf = (socket: TestSocket) => socket.messages.map((message) => message.type);
  const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('pushes an announcement posted through one replica to every socket of both replicas', async () => {
    const [first, second] = replicas;
    const listeners = [
      open(first, await customer(first)),
      open(second, await customer(second)),
      open(second, adminToken),
    ];
    await Promise.all(listeners.map((socket) => socket.ready));

    const res = await announce(first, adminToken, MESSAGE);
    expect(res.statusCode).toBe(202);
    const { message, publishedAt } = (await res.body.json()) as { message: string; publishedAt: string };
    for (const socket of listeners)
      expect(await socket.next('announcement')).toEqual({ message, publishedAt });
    expect(message).toBe(MESSAGE);
  });

  it('refuses an announcement without users:write, and nobody hears of it', async () => {
    const [first, second] = replicas;
    const token = await customer(second);
    const listener = open(first, token);
    await listener.ready;

    const res = await announce(second, token, 'Free lamps for everyone');
    expect(res.statusCode).toBe(403);
    await res.body.dump();
    await quietFor(500);
    expect(typesOf(listener)).toEqual(['ready']);
  });

  it('answers {type: "ping"} with {type: "pong"} on that socket only, and ignores other messages', async () => {
    const [first] = replicas;
    const token = await customer(first);
    const [pinger, bystander] = [open(first, token), open(first, token)];
    await Promise.all([pinger.ready, bystander.ready]);

    pinger.ws.send(JSON.stringify({ type: 'subscribe', data: { topic: 'everything' } }));
    pinger.ws.send('not json');
    pinger.ws.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
    pinger.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await pinger.next('pong')).toEqual({});
    await quietFor(300);
    expect(typesOf(pinger)).toEqual(['ready', 'pong']);
    expect(typesOf(bystander)).toEqual(['ready']);
    expect(pinger.ws.readyState).toBe(pinger.ws.OPEN);
  });

  it('closes a socket that floods it (1008) or sends a frame over 4 KiB (1009)', async () => {
    const [, second] = replicas;
    const token = await customer(second);
    const [flooder, oversized] = [open(second, token), open(second, token)];
    await Promise.all([flooder.ready, oversized.ready]);

    for (let i = 0; i < 25; i += 1) flooder.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await flooder.closed).toEqual({ code: 1008, reason: 'too many messages' });
    expect(flooder.messages.filter((message) => message.type === 'pong')).toHaveLength(20);

    oversized.ws.send(JSON.stringify({ type: 'ping', data: 'x'.repeat(4096) }));
    expect((await oversized.closed).code).toBe(1009);
  });
});

async function login(replica: SystemProcess, username: string, password: string): Promise<string> {
  const res = await request(`${replica.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
  });
  expect(res.statusCode).toBe(200);
  return ((await res.body.json()) as { access_token: string }).access_token;
}

/** Waits until the process's readiness reports its broker up (for a gateway: its queue consumed). */
async function brokerUp(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = (await (await fetch(`${url}/health/ready`)).json()) as {
      checks: Record<string, { status: string }>;
    };
    if (report.checks.broker?.status === 'up') return;
    if (Date.now() > deadline) throw new Error(`${url}: broker not up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
