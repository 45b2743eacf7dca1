import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, ROOT } from './support/system-processes.fixture';

// The built gateway started in a directory holding a .env file, as a developer
// would start it from a checkout: the file fills in what the environment does
// not set, through the same schema. Builds nothing: run `npx tsc -b shared gateway` first.
describe('the gateway reads .env from its working directory', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'shop-gateway-env-'))));
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** The test's own environment without any setting the file is meant to provide (nor Jest's mark). */
  const start = (file: string, env: Record<string, string> = {}) => {
    writeFileSync(join(dir, '.env'), file);
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(PORT|ADMIN_PORT|RABBITMQ_URL|REDIS_KEY_PREFIX|WS_|LOG_LEVEL|JEST_WORKER_ID)/.test(key),
      ),
    );
    child = spawn(process.execPath, [join(ROOT, 'gateway/dist/main.js')], {
      cwd: dir,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.resume();
    return { stderr: () => stderr };
  };
  const answers = async (port: number) => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health/live`)).status === 200;
    } catch {
      return false;
    }
  };

  it('listens where the file says, unless the environment says otherwise', async () => {
    const [port, filePort, envPort] = [await freePort(), await freePort(), await freePort()];
    start(
      [
        '# a developer’s local settings',
        `PORT=${port}`,
        `ADMIN_PORT=${filePort}`,
        // No broker for this test: the gateway serves without one (readiness says so).
        'RABBITMQ_URL=amqp://gateway_svc:none@127.0.0.1:1',
        `REDIS_KEY_PREFIX="test:env-file:${randomBytes(4).toString('hex')}:"`,
        'LOG_LEVEL=warn',
      ].join('\n'),
      { ADMIN_PORT: String(envPort) },
    );
    const deadline = Date.now() + 20_000;
    while (!(await answers(port))) {
      if (child!.exitCode !== null || Date.now() > deadline) throw new Error('the gateway did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await answers(envPort)).toBe(true);
    expect(await answers(filePort)).toBe(false);
  }, 30_000);

  it('refuses to start on a bad value in the file, naming the variable and the file', async () => {
    const { stderr } = start(
      'WS_MAX_CONNECTIONS_PER_USER=many\nRABBITMQ_URL=amqp://gateway_svc:none@127.0.0.1:1\n',
    );
    const [code] = (await once(child!, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr()).toMatch(
      new RegExp(`^Invalid configuration: WS_MAX_CONNECTIONS_PER_USER \\(from ${join(dir, '.env')}\\): `),
    );
  }, 30_000);
});
