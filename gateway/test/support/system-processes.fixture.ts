import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The repository root, from gateway/test/support. */
export const ROOT = join(__dirname, '..', '..', '..');

/** A port nothing listens on right now (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Runs a built script (e.g. `services/users/dist/migrate.js`) to completion; rejects with its output on failure. */
export async function runScript(script: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [join(ROOT, script)], {
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
  const output = collect(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${output()}`);
}

/** A process of the system, started from its build output. */
export class SystemProcess {
  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
    readonly output: () => string,
  ) {}

  /**
   * Starts `node <script>` with `env` on top of this process's environment and
   * waits until `<url>/health/ready` answers 200. The suites build nothing:
   * run `npx tsc -b shared services/users services/items gateway` first (`npm test` does).
   */
  static async start(
    name: string,
    script: string,
    port: number,
    env: Record<string, string>,
  ): Promise<SystemProcess> {
    const child = spawn(process.execPath, [join(ROOT, script)], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
      stdio: 'pipe',
    });
    const started = new SystemProcess(name, `http://127.0.0.1:${port}`, child, collect(child));
    await started.waitUntilReady();
    return started;
  }

  private async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${this.output()}`);
      try {
        const res = await fetch(`${this.url}/health/ready`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.output()}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const exited = once(this.child, 'exit');
    const timeout = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timeout);
  }
}

function collect(child: ChildProcess): () => string {
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8').slice(-8_000);
}

/**
 * Creates the services' broker users and their permissions in `vhost` with
 * `scripts/broker/bootstrap.sh` (users are cluster-wide; permissions are per vhost).
 */
export async function bootstrapBroker(vhost: string): Promise<void> {
  const child = spawn('bash', [join(ROOT, 'scripts/broker/bootstrap.sh')], {
    env: { ...process.env, RABBITMQ_VHOST: vhost },
    stdio: 'pipe',
  });
  const output = collect(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`scripts/broker/bootstrap.sh exited with ${code}:\n${output()}`);
}
