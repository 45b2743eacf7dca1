import { DynamicModule, Module } from '@nestjs/common';
import {
  AccessTokenVerifierService,
  HealthRegistryService,
  loggerOptions,
  HttpMetrics,
  RedisModule,
} from '@shop/shared';
import { LoggerModule } from 'nestjs-pino';
import { DenyListStore } from './deny-list/deny-list.store';
import { OpenApiCatalogService } from './docs/openapi-catalog.service';
import { EventFeedService } from './events/event-feed.service';
import { GATEWAY_CONFIG, type GatewayConfig } from './gateway.config';
import { AdminServerService } from './observability/admin-server.service';
import { GatewayMetrics } from './observability/gateway.metrics';
import { ROUTE_TABLE } from './routing/route-table.config';
import { UpstreamPoolsService } from './routing/upstream-pools.service';
import { ClientMessageHandler } from './ws/client-message.handler';
import { NotificationHandler } from './ws/notification.handler';
import { SocketRegistryService } from './ws/socket-registry.service';
import { WsAuthenticatorService } from './ws/ws-authenticator.service';
import { WsServerService } from './ws/ws-server.service';
import { WsTicketStore } from './ws/ws-ticket.store';

/**
 * What the gateway's request path uses, built once: the token verifier (with
 * the deny-list of disabled users), the Redis client of the rate limits, the
 * service pools, metrics and the admin server; and the WebSocket side: the
 * event feed, the sockets and their tickets. The request path itself is
 * plain Fastify (see gateway-app.factory.ts).
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
        { provide: HttpMetrics, useValue: new HttpMetrics('gateway') },
        HealthRegistryService,
        DenyListStore,
        {
          provide: AccessTokenVerifierService,
          inject: [DenyListStore],
          useFactory: (denyList: DenyListStore) =>
            new AccessTokenVerifierService({
              jwksUrl: new URL('/.well-known/jwks.json', config.USERS_URL),
              issuer: config.JWT_ISSUER,
              audience: config.JWT_AUDIENCE,
              isRevoked: denyList.isRevoked,
            }),
        },
        { provide: UpstreamPoolsService, useFactory: () => new UpstreamPoolsService(ROUTE_TABLE, config) },
        GatewayMetrics,
        OpenApiCatalogService,
        AdminServerService,
        SocketRegistryService,
        WsTicketStore,
        WsAuthenticatorService,
        NotificationHandler,
        ClientMessageHandler,
        EventFeedService,
        WsServerService,
      ],
      // RedisModule registers its readiness check with HealthRegistryService.
      exports: [HttpMetrics, HealthRegistryService],
    };
  }
}
