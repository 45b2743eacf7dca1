import type { ChannelModel } from 'amqplib';
import type { BusLogger } from './bus-logger.factory';

export interface AmqpConnectionOptions {
  /** `amqp://user:password@host:5672/vhost` (RABBITMQ_URL). */
  url: string;
  /** Names the connection in `rabbitmqctl list_connections` and in log lines. */
  name: string;
  /** Both sides close a connection silent for about twice this long. Default 15. */
  heartbeatSeconds?: number;
  /** Reconnect backoff: starts at `initialMs`, doubles with ±50 % jitter, capped at `maxMs`. */
  reconnectDelay?: { initialMs: number; maxMs: number };
  /** Gives up on a TCP + AMQP handshake that takes longer (a broker that accepts but never answers). */
  connectTimeoutMs?: number;
  logger?: BusLogger;
}

/** The URL to connect to: the heartbeat asked for, unless the URL names one itself. */
export function connectionUrl({ url, heartbeatSeconds = 15 }: AmqpConnectionOptions): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(heartbeatSeconds));
  return parsed.toString();
}

/**
 * amqplib's socket options: a connect timeout, the connection's name, and
 * recovery (amqplib reconnects by itself, running `setup` on every new
 * connection before handing it over).
 */
export function socketOptions(options: AmqpConnectionOptions, setup: (model: ChannelModel) => Promise<void>) {
  const { name, reconnectDelay, connectTimeoutMs = 10_000 } = options;
  return {
    timeout: connectTimeoutMs,
    // amqplib leaves Nagle's algorithm on unless told otherwise; with it, a
    // small frame written right after another (an ack, then a publish) waits
    // for the broker's delayed TCP ACK, about 40 ms on Linux.
    noDelay: true,
    clientProperties: { connection_name: name },
    recovery: {
      initialDelay: reconnectDelay?.initialMs ?? 200,
      maxDelay: reconnectDelay?.maxMs ?? 15_000,
      factor: 2,
      jitter: 0.5,
      waitForConnect: false,
      setup,
    },
  };
}
