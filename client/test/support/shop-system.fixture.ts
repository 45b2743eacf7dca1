import { createTestDatabase, createTestVhost, eventually } from '@shop/shared/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

// The whole system as its real, built processes, on a database, a broker vhost and Redis keys
// of its own, for suites that see it only through the gateway. Builds nothing: `npm test`
// builds first (or `npm run build`).

const ROOT = join(__dirname, '..', '..', '..');
const SERVICES = ['users', 'items', 'orders', 'inventory'] as const;

export interface ShopSystem {
  /** Where the gateway listens. */
  url: string;
  /** The bootstrap admin the users service created. */
  admin: { username: string; password: string };
  /** Stops every process and removes the database and the vhost. */
  stop(): Promise<void>;
}

export async function startShopSystem(): Promise<ShopSystem> {
  const [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopProcess));
    await Promise.all([db.drop(), vhost.delete()]);
  };
  try {
    await runToEnd('bash', ['scripts/broker/bootstrap.sh'], { RABBITMQ_VHOST: vhost.name });
    const migrate = { DATABASE_ADMIN_URL: db.adminUrl, SHOP_DB_NAME: db.name };
    await Promise.all(
      SERVICES.map((s) => runToEnd(process.execPath, [`services/${s}/dist/migrate.js`], migrate)),
    );

    const run = randomBytes(4).toString('hex');
    const admin = { username: 'clientadmin', password: 'Admin123secret' };
    const port = Object.fromEntries(
      await Promise.all([...SERVICES, 'gateway', 'admin'].map(async (name) => [name, await freePort()])),
    ) as Record<(typeof SERVICES)[number] | 'gateway' | 'admin', number>;
    const url = (name: keyof typeof port) => `http://127.0.0.1:${port[name]}`;
    const common = {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      JWT_ISSUER: 'http://client.e2e',
      JWT_AUDIENCE: 'shop',
      USERS_URL: url('users'),
      ITEMS_URL: url('items'),
    };
    const broker = (name: string) => vhost.urlFor(`${name}_svc`, `${name}_broker_dev_password`);
    const start = (name: keyof typeof port, dir: string, env: Record<string, string>) => {
      const child = spawn(process.execPath, [join(ROOT, dir, 'dist/main.js')], {
        env: { ...process.env, ...common, ...env, PORT: String(port[name]) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      return ready(name, url(name), child);
    };
    await Promise.all([
      ...SERVICES.map((s) =>
        start(s, `services/${s}`, {
          DATABASE_URL: db.runtimeUrl(s),
          RABBITMQ_URL: broker(s),
          REDIS_KEY_PREFIX: `test:client-${s}:${run}:`,
          ...(s === 'users' ? { ADMIN_USERNAME: admin.username, ADMIN_PASSWORD: admin.password } : {}),
        }),
      ),
      start('gateway', 'gateway', {
        ORDERS_URL: url('orders'),
        INVENTORY_URL: url('inventory'),
        ADMIN_PORT: String(port.admin),
        RABBITMQ_URL: broker('gateway'),
        REDIS_KEY_PREFIX: `test:client-gateway:${run}:`,
      }),
    ]);
    return { url: url('gateway'), admin, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Resolves once `url/health/ready` answers 200 with the broker up: every consumer's queue
 * must exist before the first event is published. Rejects with the process's last output
 * if it exits or is not ready within 30 s.
 */
async function ready(name: string, url: string, child: ChildProcess): Promise<void> {
  const output = collect(child);
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        const report = await fetch(`${url}/health/ready`).catch(() => null);
        if (report?.status !== 200) return false;
        const { checks } = (await report.json()) as { checks: Record<string, { status: string }> };
        return checks.broker?.status === 'up';
      },
      { timeoutMs: 30_000, everyMs: 100 },
    );
  } catch (error) {
    throw new Error(`${name} did not get ready (${(error as Error).message}):\n${output()}`, {
      cause: error,
    });
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timeout = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timeout);
}

/** Runs a command from the repository root to completion; rejects with its output on failure. */
async function runToEnd(command: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  const output = collect(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}:\n${output()}`);
}

/** A port nothing listens on right now (bound, read, released). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** The last 8 kB a child wrote, for the error that says why it failed. */
function collect(child: ChildProcess): () => string {
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8').slice(-8_000);
}
