import { once } from 'node:events';
import { connect as connectTcp, createServer, Socket } from 'node:net';

export interface FaultProxyOptions {
  /** Where connections are forwarded, e.g. RabbitMQ at 127.0.0.1:5672. */
  target: { host: string; port: number };
}

export interface FaultProxy {
  /** The local port to connect to instead of the target's (127.0.0.1). */
  port: number;
  /** Destroys every live connection, as a network failure or a broker crash would. */
  cutAll(): void;
  /** Refuses new connections (they are closed at once) until `resume()`. */
  pause(): void;
  resume(): void;
  /** Cuts everything and stops listening. */
  close(): Promise<void>;
}

/**
 * A TCP proxy for tests that break one client's connection to a shared
 * server (RabbitMQ, Postgres) without touching the server or other clients.
 *
 * @example
 * const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: 5672 } });
 * const url = `amqp://guest:guest@127.0.0.1:${proxy.port}/${vhost}`;
 * proxy.cutAll(); // the client sees ECONNRESET and must recover
 */
export async function startFaultProxy({ target }: FaultProxyOptions): Promise<FaultProxy> {
  const live = new Set<Socket>();
  let paused = false;

  const track = (socket: Socket) => {
    live.add(socket);
    socket.on('close', () => live.delete(socket));
    // A cut connection errors on both ends; that is the point, not a failure of the proxy.
    socket.on('error', () => socket.destroy());
  };

  const server = createServer((client) => {
    track(client);
    if (paused) {
      client.destroy();
      return;
    }
    const upstream = connectTcp(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no TCP port');

  // An RST, not a polite FIN: the client sees ECONNRESET, as when a network path or a broker dies.
  const cutAll = () => {
    for (const socket of live) socket.resetAndDestroy();
  };

  return {
    port: address.port,
    cutAll,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    close: async () => {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
