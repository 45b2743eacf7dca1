import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AccessTokenVerifier, HealthRegistry, REDIS, sendProblem } from '@shop/shared';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { DenyListStore } from '../deny-list/deny-list.store';
import { registerDocsRoutes } from '../docs/docs.routes';
import { OpenApiCatalog } from '../docs/openapi.catalog';
import { EdgeTokens } from '../edge/edge-tokens';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { GatewayMetrics } from '../observability/gateway.metrics';
import { registerHealthRoutes } from '../observability/health.routes';
import { generalLimit } from '../rate-limit/general-limit.hook';
import { loginLimit } from '../rate-limit/login-limit.hook';
import { RateLimiter, redisSettled } from '../rate-limit/rate-limiter';
import { registerWsTicketRoutes } from '../ws/ws-ticket.routes';
import { WsTicketStore } from '../ws/ws-ticket.store';
import { registerProxyRoutes } from './proxy.plugin';
import { ROUTE_TABLE } from './route.table';
import { UpstreamPools } from './upstream.pools';

/**
 * Health, docs, WebSocket tickets and the proxied routes of the route table,
 * with the limits and the token memory they share. Registered in a scope with
 * its own error handler: Nest installs the root one only in `init()`, after
 * these routes exist.
 */
export async function registerPublicRoutes(
  fastify: FastifyInstance,
  app: NestFastifyApplication,
): Promise<void> {
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
