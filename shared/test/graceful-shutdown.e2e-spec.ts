import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const fixture = path.join(__dirname, 'fixtures', 'graceful-drain.mjs');

/** GET a path of the fixture: its status, or 'closed' once nothing listens. */
async function probe(port: number, route: string): Promise<number | 'closed'> {
  return fetch(`http://127.0.0.1:${port}${route}`).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status;
    },
    () => 'closed' as const,
  );
}

describe('graceful shutdown', () => {
  let child: ChildProcess;
  let port: number;

  beforeEach(async () => {
    child = fork(fixture, [], { env: { ...process.env, SHUTDOWN_DELAY: '700ms' }, stdio: 'ignore' });
    [{ port }] = (await once(child, 'message')) as [{ port: number }];
  });

  afterEach(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('on SIGTERM turns readiness false, keeps serving for the delay, finishes what is in flight, then exits 0', async () => {
    expect(await probe(port, '/health/ready')).toBe(200);
    const inFlight = probe(port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));

    // During the delay: not ready, yet a new request is still answered.
    expect(await probe(port, '/health/ready')).toBe(503);
    const duringDelay = probe(port, '/slow');

    const readiness: (number | 'closed')[] = [];
    for (
      let state = await probe(port, '/health/ready');
      state !== 'closed';
      state = await probe(port, '/health/ready')
    ) {
      readiness.push(state);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(readiness.every((status) => status === 503)).toBe(true);
    expect(await inFlight).toBe(200);
    expect(await duringDelay).toBe(200);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it('on SIGINT (Ctrl-C) closes the port at once, still finishing what is in flight', async () => {
    const inFlight = probe(port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // No delay: the port is closed at once, and what was in flight still finishes.
    expect(await probe(port, '/health/ready')).toBe('closed');
    expect(await inFlight).toBe(200);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });
});
