import { env, loadConfig, serviceEnv } from '@shop/shared';
import { z } from 'zod';
import type { ProxyRoute } from './routing/route-access.model';
import { ROUTE_TABLE } from './routing/route-table.config';
import { upstreamNames, urlVariable, type UrlVariable } from './routing/upstreams.config';

/** Injection token of the validated gateway config. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

// The SPEC's local ports, so that a laptop needs none of these set. A service
// added to the route table has none: its <NAME>_URL must be set, or the
// gateway does not start.
const LOCAL_ORIGINS: Readonly<Record<string, string>> = {
  users: 'http://127.0.0.1:3001',
  items: 'http://127.0.0.1:3002',
  orders: 'http://127.0.0.1:3003',
  inventory: 'http://127.0.0.1:3004',
};

/** One `<NAME>_URL` variable per service the route table forwards to. */
export function upstreamEnv(routes: readonly ProxyRoute[]) {
  const fields = upstreamNames(routes).map((name) => [
    urlVariable(name),
    env.url(['http', 'https'], LOCAL_ORIGINS[name]),
  ]);
  return z.object(Object.fromEntries(fields) as Record<UrlVariable, ReturnType<typeof env.url>>);
}

// An allow-list entry is an exact origin: a pattern or `*` would let any site
// read the API with a user's token, which is what the list exists to prevent.
const origins = env
  .list()
  .refine(
    (values) =>
      values.every((value) => !value.includes('*') && URL.canParse(value) && new URL(value).origin === value),
    'must be a comma-separated list of origins such as https://shop.example.com',
  );

export const gatewayEnv = serviceEnv.omit({ DATABASE_URL: true }).extend({
  PORT: env.port(8080),
  /** Serves /metrics (and health) for Prometheus and probes; never exposed publicly. */
  ADMIN_PORT: env.port(8081),
  /** Prepended to every key the gateway writes, so replicas share them and tests do not. */
  REDIS_KEY_PREFIX: env.text('shop:gateway:'),
  CORS_ORIGINS: origins,
  RATE_LIMIT_PER_MINUTE: env.positiveInt(1200),
  LOGIN_RATE_LIMIT_PER_MINUTE: env.positiveInt(10),
  // Above the services' 1 MiB so a 1 MiB image still fits with its multipart framing.
  BODY_LIMIT_BYTES: env.positiveInt(2 * 1024 * 1024),
  /** How long an upstream may take to answer (headers, then each body chunk). */
  UPSTREAM_TIMEOUT: env.duration('10s'),
  /**
   * How many proxies in front of the gateway append to X-Forwarded-For (a
   * load balancer: 1). Client IPs, for rate limits, are read that many hops
   * back; trusting more would let a client choose its own IP.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** The gateway's own broker user: it reads events for the WebSockets and may publish none. */
  RABBITMQ_URL: env.brokerUrl('gateway'),
  /** How often each WebSocket is pinged; one that has not answered the previous ping is dropped. */
  WS_HEARTBEAT_INTERVAL: env.duration('30s'),
  /** Open WebSockets one user may hold on one replica; the next is closed with 1008. */
  WS_MAX_CONNECTIONS_PER_USER: env.positiveInt(5),
});

/** The validated config, with the origin of each service as its `<NAME>_URL`. */
export type GatewayConfig = z.infer<typeof gatewayEnv> & Readonly<Record<UrlVariable, string>>;

export const loadGatewayConfig = (
  source: NodeJS.ProcessEnv = process.env,
  routes: readonly ProxyRoute[] = ROUTE_TABLE,
): GatewayConfig => ({ ...loadConfig(gatewayEnv, source), ...loadConfig(upstreamEnv(routes), source) });
