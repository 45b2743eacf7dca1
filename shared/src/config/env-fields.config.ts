import { z } from 'zod';
import { loadConfig } from './config.factory';

/** Reusable, documented environment fields; each service composes the ones it needs. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  /** The address to listen on: an IPv4 or IPv6 address or a host name (`127.0.0.1`, `::`, `localhost`). */
  host: (fallback: string) =>
    z
      .union([z.ipv4(), z.ipv6(), z.hostname()], {
        error: 'must be an IP address or a host name, such as 127.0.0.1',
      })
      .default(fallback),
  url: (protocols: string[], fallback?: string) => {
    const field = z.url({
      protocol: new RegExp(`^(${protocols.join('|')})$`),
      error: `must be a ${protocols.join(' or ')} URL`,
    });
    return fallback === undefined ? field : field.default(fallback);
  },
  /** A URL that may be unset or empty, which leaves what it enables off. */
  optionalUrl: (protocols: string[]) => z.union([z.literal(''), env.url(protocols)]).optional(),
  /** The service's own broker user (least privilege); the default is the local dev one. */
  brokerUrl: (service: string) =>
    env.url(['amqp', 'amqps'], `amqp://${service}_svc:${service}_broker_dev_password@127.0.0.1:5672`),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  text: (fallback?: string) =>
    fallback === undefined ? z.string().min(1) : z.string().min(1).default(fallback),
  /** A duration such as `10m`, `30s`, `1h` or `500ms`, parsed to milliseconds. */
  duration: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value, ctx) => {
        const match = /^(\d+)(ms|s|m|h)$/.exec(value);
        if (!match) {
          ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 30s, 10m or 1h' });
          return z.NEVER;
        }
        const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
        return Number(match[1]) * unit;
      }),
  list: (fallback = '') =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      ),
};

/** The variables every service reads (SPEC: Configuration). */
export const serviceEnv = z.object({
  PORT: env.port(3000),
  /**
   * Every interface by default, as a container needs; `npm start` sets
   * 127.0.0.1 so that a laptop's services and /metrics stay off the network.
   */
  HOST: env.host('0.0.0.0'),
  LOG_LEVEL: env.logLevel(),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  REDIS_URL: env.url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  /**
   * `<system>:<process>:` (`shop:items:`): the process's own keys; keys every
   * process shares (the deny-list) live under `<system>:`. Tests set their own.
   */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,64}$/, 'must be 1-64 letters, digits or : . _ -')
    .optional(),
  USERS_URL: env.url(['http', 'https'], 'http://127.0.0.1:3001'),
  JWT_ISSUER: env.text('http://localhost:8080'),
  JWT_AUDIENCE: env.text('shop'),
  BODY_LIMIT_BYTES: env.positiveInt(1024 * 1024),
  /**
   * On SIGTERM, how long readiness answers 503 while requests are still served,
   * so that load balancers (a k8s Service, the gateway's peers) stop sending
   * before the port closes. SIGINT (Ctrl-C) skips it.
   */
  SHUTDOWN_DELAY: env.duration('2s'),
  /**
   * Where traces go (OTLP over HTTP, e.g. http://jaeger:4318); unset or empty,
   * tracing is off. Read before the config, by `startTracing` (src/tracing.ts).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(['http', 'https']),
});
export type ServiceEnv = z.infer<typeof serviceEnv>;

/**
 * HOST alone, validated as in every config. For the listen calls, which get
 * a port from their caller but not the rest of the config.
 */
export const listenHost = (source: NodeJS.ProcessEnv = process.env): string =>
  loadConfig(serviceEnv.pick({ HOST: true }), source).HOST;

/** Where the users service publishes the keys that sign access tokens. */
export const jwksUrlOf = ({ USERS_URL }: Pick<ServiceEnv, 'USERS_URL'>): string =>
  `${USERS_URL.replace(/\/+$/, '')}/.well-known/jwks.json`;
