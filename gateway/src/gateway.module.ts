import { DynamicModule, Module } from '@nestjs/common';
import { AccessTokenVerifier, HealthRegistry, loggerOptions, Metrics, RedisModule } from '@shop/shared';
import { LoggerModule } from 'nestjs-pino';
import { DenyListStore } from './deny-list/deny-list.store';
import { OpenApiCatalog } from './docs/openapi.catalog';
import { EventFeed } from './events/event-feed.service';
import { GATEWAY_CONFIG, type GatewayConfig } from './gateway.config';
import { AdminServer } from './observability/admin.server';
import { GatewayMetrics } from './observability/gateway.metrics';
import { ROUTE_TABLE } from './routing/route.table';
import { UpstreamPools } from './routing/upstream.pools';
import { NotificationHandler } from './ws/notification.handler';
import { SocketRegistry } from './ws/socket.registry';
import { WsAuthenticator } from './ws/ws-authenticator';
import { WsServer } from './ws/ws.server';
import { WsTicketStore } from './ws/ws-ticket.store';

/**
 * What the gateway's request path uses, built once: the token verifier (with
 * the deny-list of disabled users), the Redis client of the rate limits, the
 * service pools, metrics and the admin server; and the WebSocket side: the
 * event feed, the sockets and their tickets. The request path itself is
 * plain Fastify (see gateway.app.ts).
 *
 * Logging, metrics and health are those of every service (ServiceCoreModule),
 * except that the request log line comes from the gateway's own hook
 * (observability/access-log.hook.ts) rather than pino-http's middleware.
 */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      global: true,
      imports: [
        LoggerModule.forRoot({ ...loggerOptions('gateway', config.LOG_LEVEL), forRoutes: [] }),
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, name: 'gateway' }),
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: Metrics, useValue: new Metrics('gateway') },
        HealthRegistry,
        DenyListStore,
        {
          provide: AccessTokenVerifier,
          inject: [DenyListStore],
          useFactory: (denyList: DenyListStore) =>
            new AccessTokenVerifier({
              jwksUrl: new URL('/.well-known/jwks.json', config.USERS_URL),
              issuer: config.JWT_ISSUER,
              audience: config.JWT_AUDIENCE,
              isRevoked: denyList.isRevoked,
            }),
        },
        { provide: UpstreamPools, useFactory: () => new UpstreamPools(ROUTE_TABLE, config) },
        GatewayMetrics,
        OpenApiCatalog,
        AdminServer,
        SocketRegistry,
        WsTicketStore,
        WsAuthenticator,
        NotificationHandler,
        EventFeed,
        WsServer,
      ],
      // RedisModule registers its readiness check with HealthRegistry.
      exports: [Metrics, HealthRegistry],
    };
  }
}
