import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  createFastifyAdapter,
  enableGracefulShutdown,
  exitIfShutdownHangs,
  ProblemFilter,
} from '@shop/shared';
import { Logger } from 'nestjs-pino';
import { registerEdgeHooks } from './edge/edge.hook';
import type { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { writeAccessLog } from './observability/access-log.hook';
import { AdminServerService } from './observability/admin-server.service';
import { GatewayMetrics } from './observability/gateway.metrics';
import { registerPublicRoutes } from './routing/public.routes';
import { WsServerService } from './ws/ws-server.service';

/**
 * Builds the gateway without listening (tests use `inject` or listen on port
 * 0), on the core every service has: @shop/shared's Fastify adapter and
 * problem filter. Nest assembles the process (config, logging,
 * the verifier, Redis, metrics); every request is handled by plain Fastify
 * hooks and routes, with no Nest pipes or interceptors in the way.
 *
 * Order for a proxied request: request id → security headers, CORS → path
 * guard → edge auth → general rate limit → body length → (token endpoint:
 * login rate limit) → the service, over a keep-alive pool. `GET /ws` upgrades
 * outside this chain (ws/ws-server.service.ts); `POST /ws/tickets` is checked like a
 * proxied route.
 */
export async function createGatewayApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = createFastifyAdapter({
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
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

  const fastify = app.getHttpAdapter().getInstance();
  await registerEdgeHooks(fastify, config);
  app.get(GatewayMetrics).recordRequestDurations(fastify);
  fastify.addHook('onResponse', writeAccessLog);
  await fastify.register((scope) => registerPublicRoutes(scope, app));
  app.get(WsServerService).attach(fastify.server);

  await app.init();
  return app;
}

/** `main.ts`: builds the gateway, listens on PORT (public) and ADMIN_PORT (metrics, probes). */
export async function bootstrapGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await createGatewayApp(config);
  // Both on HOST: the admin port serves /metrics, which must not reach further than the API does.
  await app.listen(config.PORT, config.HOST);
  const adminPort = await app.get(AdminServerService).listen(config.ADMIN_PORT, config.HOST);
  const where = `${config.HOST}:${config.PORT}, admin on ${config.HOST}:${adminPort}`;
  app.get(Logger).log(`gateway listening on ${where}`, 'Bootstrap');
  enableGracefulShutdown(app, { delayMs: config.SHUTDOWN_DELAY });
  exitIfShutdownHangs();
  return app;
}
