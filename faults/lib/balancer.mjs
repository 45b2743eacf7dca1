// A readiness-aware TCP round robin in front of a service's two replicas, as a Kubernetes
// Service is: a replica whose /health/ready fails (or that is gone) gets no new
// connections; connections it already has stay with it until it closes them.
import net from 'node:net';
import { once } from 'node:events';

const POLL_MS = 200;

async function isReady(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(500),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Listens on `port` and spreads connections over `backends` (ports). */
export async function startBalancer({ port, backends }) {
  const ready = new Set();
  let next = 0;
  const server = net.createServer((client) => {
    const candidates = backends.filter((backend) => ready.has(backend));
    if (candidates.length === 0) return client.destroy(); // as a Service with no endpoint
    const backend = candidates[next++ % candidates.length];
    const upstream = net.connect(backend, '127.0.0.1');
    for (const socket of [client, upstream]) socket.on('error', () => socket.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  let polling = true;
  const poll = async () => {
    while (polling) {
      await Promise.all(
        backends.map(async (backend) => {
          if (await isReady(backend)) ready.add(backend);
          else ready.delete(backend);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  void poll();
  return {
    close: () => {
      polling = false;
      server.close();
    },
  };
}
