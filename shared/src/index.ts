// The public face of @shop/shared: what the services and the gateway build on, and nothing
// else. The wiring behind it (the relay, the consumer, the topology, the request hooks) is
// reached through the modules that wire it; test helpers live in @shop/shared/testing.
// `npm run check:shape` fails if a runtime name here is imported by no service or the gateway.

// Starting a service
export { bootstrapService } from './bootstrap/bootstrap-service';
export { createFastifyAdapter } from './bootstrap/fastify-adapter';
export { enableGracefulShutdown, exitIfShutdownHangs } from './bootstrap/shutdown';
export { configModule } from './config/config.module';
export { env, serviceEnv } from './config/env-fields';
export { loadConfig } from './config/load-config';
export { HealthRegistry } from './health/health.registry';
export { Metrics } from './metrics/metrics';
export { loggerOptions } from './logging/logger-options';

// HTTP: request ids, work after the response, refusals as problem+json
export { REQUEST_ID_HEADER } from './http/request-id';
export { Background, BackgroundTasks } from './http/background-tasks';
export {
  BadGatewayError,
  BadRequestError,
  ConflictError,
  DomainError,
  ForbiddenError,
  GatewayTimeoutError,
  LengthRequiredError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnavailableError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  type ErrorHeaders,
} from './errors/domain.error';
export { ProblemFilter, sendProblem } from './errors/problem.filter';
export { RequestValidationException } from './errors/validation';

// Tokens and scopes
export { AuthModule } from './auth/auth.module';
export { AccessTokenVerifier } from './auth/access-token.verifier';
export type { AccessTokenClaims } from './auth/access-token.claims';
export { InvalidTokenError } from './auth/auth.errors';
export { hasScope, type AuthenticatedUser } from './auth/authenticated-user';
export {
  bearerToken,
  insufficientScopeChallenge,
  invalidTokenChallenge,
  missingTokenChallenge,
} from './auth/bearer';
export { CurrentUser } from './auth/current-user.decorator';
export { Public } from './auth/public.decorator';
export { Scopes } from './auth/scopes.decorator';
export { CUSTOMER_SCOPES, SCOPES, type Scope } from './contracts/scopes';

// Data: Postgres and Redis
export { createDataSourceOptions } from './database/data-source.factory';
export { DatabaseModule } from './database/database.module';
export { migrateServiceFromEnv } from './database/run-migrations';
export { REDIS, RedisModule } from './redis/redis.module';

// Events: the contracts, writing them, handling them
export { parseEvent, type EventData, type EventType, type ShopEvent } from './events/contracts';
export { AmqpConnection } from './events/amqp-connection';
export { EventBusModule } from './events/event-bus.module';
export { OutboxService, type NewEvent } from './events/outbox/outbox.service';
export { createEventTablesMigration } from './events/outbox/event-tables.migration';
export { defineSubscriptions, type EventHandler } from './events/consumer/event.handler';
export { DEFAULT_EXCHANGE } from './events/topology';

// Tracing
export { inSpanFrom, processSpanAttributes, SpanKind } from './tracing/trace-context';
