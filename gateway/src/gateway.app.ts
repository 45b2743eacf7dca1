import compress from '@fastify/compress';
import cors from '@fastify/cors';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AccessTokenVerifier,
  HealthRegistry,
  ProblemFilter,
  REDIS,
  requestIdFor,
  sendProblem,
} from '@shop/shared';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Logger } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { DenyListStore } from './deny-list/deny-list.store';
import { registerDocsRoutes } from './docs/docs.routes';
import { OpenApiCatalog } from './docs/openapi.catalog';
import { EdgeTokens } from './edge/edge-tokens';
import { guardPath } from './edge/path-guard.hook';
import { responseHeaders } from './edge/response-headers.hook';
import { GATEWAY_CONFIG, type GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { writeAccessLog } from './observability/access-log.hook';
import { AdminServer } from './observability/admin.server';
import { GatewayMetrics } from './observability/gateway.metrics';
import { registerHealthRoutes } from './observability/health.routes';
import { generalLimit } from './rate-limit/general-limit.hook';
import { loginLimit } from './rate-limit/login-limit.hook';
import { RateLimiter, redisSettled } from './rate-limit/rate-limiter';
import { registerProxyRoutes } from './routing/proxy.plugin';
import { ROUTE_TABLE } from './routing/route.table';
import { UpstreamPools } from './routing/upstream.pools';
import { COMPRESSION_THRESHOLD_BYTES } from './routing/upstream-proxy';
import { registerWsTicketRoutes } from './ws/ws-ticket.routes';
import { WsTicketStore } from './ws/ws-ticket.store';
import { WsServer } from './ws/ws.server';

const SHUTDOWN_GRACE_MS = 10_000;

// The API answers JSON only: its pages may do nothing. /docs sets its own.
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

/**
 * Builds the gateway without listening (tests use `inject` or listen on port
 * 0). Nest assembles the process (config, logging, the verifier, Redis,
 * metrics, shutdown); every request is handled by plain Fastify hooks and
 * routes, with no Nest pipes or interceptors in the way.
 *
 * Order for a proxied request: request id → security headers, CORS → path
 * guard → edge auth → general rate limit → body length → (token endpoint:
 * login rate limit) → the service, over a keep-alive pool. `GET /ws` upgrades
 * outside this chain (ws/ws.server.ts); `POST /ws/tickets` is checked like a
 * proxied route.
 */
export async function createGatewayApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (raw: IncomingMessage) => requestIdFor(raw),
    requestIdHeader: false,
    return503OnClosing: true,
    // No Nest middleware runs here (the access log is a Fastify hook), so
    // middie's per-request pass over an empty middleware list is left out.
    skipMiddie: true,
    // The nearest TRUST_PROXY hops are our own proxies; the client is the next one back.
    trustProxy: (_address: string, hop: number) => hop < config.TRUST_PROXY,
  });
  // No Nest body parsers: proxied bodies stream through to the services unread.
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  await registerEdgeHooks(fastify, config);
  app.get(GatewayMetrics).recordRequestDurations(fastify);
  fastify.addHook('onResponse', writeAccessLog);
  await fastify.register((scope) => registerPublicRoutes(scope, app));
  app.get(WsServer).attach(fastify.server);

  await app.init();
  return app;
}

/** What every request of the public server goes through first, in this order. */
async function registerEdgeHooks(fastify: FastifyInstance, config: GatewayConfig): Promise<void> {
  fastify.decorateRequest('caller', null);
  fastify.addHook('onRequest', await responseHeaders({ contentSecurityPolicy: API_CSP }));
  await fastify.register(cors, {
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: [
      'ETag',
      'Location',
      'Retry-After',
      'X-Request-Id',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ],
    maxAge: 600,
  });
  fastify.addHook('onRequest', guardPath);
  await fastify.register(compress, {
    globalCompression: true,
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    // Request bodies go to the services as sent; inflating them here would change what they receive.
    globalDecompression: false,
  });
}

/**
 * Health, docs and the proxied routes, in a scope with its own error handler:
 * Nest installs the root one only in `init()`, after these routes exist.
 */
async function registerPublicRoutes(fastify: FastifyInstance, app: NestFastifyApplication): Promise<void> {
  const config = app.get<GatewayConfig>(GATEWAY_CONFIG);
  const metrics = app.get(GatewayMetrics);
  const redis = app.get<Redis>(REDIS);
  await redisSettled(redis);
  fastify.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));

  registerHealthRoutes(fastify, app.get(HealthRegistry));
  await registerDocsRoutes(fastify, app.get(OpenApiCatalog));

  const general = new RateLimiter(redis, 'ratelimit:general:', config.RATE_LIMIT_PER_MINUTE);
  const login = new RateLimiter(redis, 'ratelimit:login:', config.LOGIN_RATE_LIMIT_PER_MINUTE);
  const limitRequests = generalLimit(general, metrics);
  const tokens = new EdgeTokens(app.get(AccessTokenVerifier), app.get(DenyListStore).isRevoked);
  await registerWsTicketRoutes(fastify, { tokens, tickets: app.get(WsTicketStore), limitRequests });
  await registerProxyRoutes(fastify, {
    routes: ROUTE_TABLE,
    tokens,
    pools: app.get(UpstreamPools),
    metrics,
    trustProxy: config.TRUST_PROXY > 0,
    limitRequests,
    limitLogins: loginLimit(login, metrics),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
}

/** `main.ts`: builds the gateway, listens on PORT (public) and ADMIN_PORT (metrics, probes). */
export async function bootstrapGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await createGatewayApp(config);
  // Both on HOST: the admin port serves /metrics, which must not reach further than the API does.
  await app.listen(config.PORT, config.HOST);
  const adminPort = await app.get(AdminServer).listen(config.ADMIN_PORT, config.HOST);
  const where = `${config.HOST}:${config.PORT}, admin on ${config.HOST}:${adminPort}`;
  app.get(Logger).log(`gateway listening on ${where}`, 'Bootstrap');
  // Nest closes the app on these signals; this only bounds how long that may take.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref());
  }
  return app;
}
