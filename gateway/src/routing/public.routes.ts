import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AccessTokenVerifierService,
  asyncApiDocument,
  HealthRegistryService,
  REDIS,
  sendProblem,
} from '@shop/shared';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { DenyListStore } from '../deny-list/deny-list.store';
import { registerAsyncApiRoutes } from '../docs/asyncapi.routes';
import { withWebSocketChannel } from '../docs/websocket-channel.factory';
import { registerDocsRoutes } from '../docs/docs.routes';
import { OpenApiCatalogService } from '../docs/openapi-catalog.service';
import { EdgeTokenStore } from '../edge/edge-token.store';
import { GATEWAY_SUBSCRIPTIONS } from '../events/gateway.subscriptions';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { GatewayMetrics } from '../observability/gateway.metrics';
import { registerHealthRoutes } from '../observability/health.routes';
import { countRefusals, generalLimit } from '../rate-limit/general-limit.hook';
import { loginLimit } from '../rate-limit/login-limit.hook';
import { RateLimiterService, redisSettled } from '../rate-limit/rate-limiter.service';
import { registerWsTicketRoutes } from '../ws/ws-ticket.routes';
import { WsServerService } from '../ws/ws-server.service';
import { WsTicketStore } from '../ws/ws-ticket.store';
import { registerProxyRoutes } from './proxy.routes';
import { ROUTE_TABLE } from './route-table.config';
import { UpstreamPoolsService } from './upstream-pools.service';

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

  const general = new RateLimiterService(redis, 'ratelimit:general:', config.RATE_LIMIT_PER_MINUTE);
  app.get(WsServerService).limitHandshakesWith(general);
  const login = new RateLimiterService(redis, 'ratelimit:login:', config.LOGIN_RATE_LIMIT_PER_MINUTE);
  const limitRequests = generalLimit(general, metrics);
  fastify.addHook('onSend', countRefusals(general, metrics));

  registerHealthRoutes(fastify, app.get(HealthRegistryService));
  await registerDocsRoutes(fastify, app.get(OpenApiCatalogService), limitRequests);
  // Limited like the OpenAPI documents, so that it carries the rate-limit headers the gateway's document promises.
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', limitRequests);
    registerAsyncApiRoutes(
      scope,
      withWebSocketChannel(asyncApiDocument({ receivers: { gateway: GATEWAY_SUBSCRIPTIONS } })),
    );
  });
  const tokens = new EdgeTokenStore(app.get(AccessTokenVerifierService), app.get(DenyListStore).isRevoked);
  await registerWsTicketRoutes(fastify, { tokens, tickets: app.get(WsTicketStore), limitRequests });
  await registerProxyRoutes(fastify, {
    routes: ROUTE_TABLE,
    tokens,
    pools: app.get(UpstreamPoolsService),
    metrics,
    trustProxy: config.TRUST_PROXY > 0,
    limitRequests,
    limitLogins: loginLimit(login, metrics),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
}
