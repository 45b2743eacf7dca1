// The public face of @shop/shared: what the services and the gateway build on, and nothing
// else. The wiring behind it (the relay, the consumer, the topology, the request hooks) is
// reached through the modules that wire it; test helpers live in @shop/shared/testing.
// `npm run check:shape` fails if a runtime name here is imported by no service or the gateway.

// Starting a service
export { bootstrapService } from './bootstrap/service-app.factory';
export { createFastifyAdapter } from './bootstrap/fastify-adapter.factory';
export { enableGracefulShutdown, exitIfShutdownHangs } from './bootstrap/shutdown.hook';
export { configModule } from './config/config.module';
export { env, jwksUrlOf, serviceEnv } from './config/env-fields.config';
export { loadConfig } from './config/config.factory';
export { HealthRegistryService } from './health/health-registry.service';
export { HttpMetrics } from './metrics/http.metrics';
export { loggerOptions } from './logging/logger.options';

// HTTP: request ids, work after the response, refusals as problem+json
export { REQUEST_ID_HEADER, RequestId } from './http/request-id.decorator';
export { UuidParam } from './http/uuid-param.decorator';
export { MAX_LIMIT, MAX_SKIP, PageQuery } from './http/page.query';
export { Background, BackgroundTasksService, backgroundTasksOf } from './http/background-tasks.service';
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
} from './errors/domain.errors';
export { ProblemFilter, sendProblem } from './errors/problem.filter';
export { ApiProblems } from './openapi/api-problems.decorator';
export { RequestValidationError } from './errors/validation.errors';

// Money: decimal strings in the API, bigint cents in arithmetic
export {
  fitsMoneyColumn,
  formatCents,
  MONEY_PATTERN,
  parseCents,
  parseMoney,
  totalOf,
} from './money/money.model';

// Tokens and scopes
export { AuthModule } from './auth/auth.module';
export { AccessTokenVerifierService } from './auth/access-token-verifier.service';
export { DeniedUsersStore, deniedUsersRedis } from './auth/denied-users.store';
export type { AccessTokenClaims } from './auth/access-token-claims.model';
export { InvalidTokenError } from './auth/auth.errors';
export { hasScope, type AuthenticatedUser } from './auth/authenticated-user.model';
export {
  bearerToken,
  insufficientScopeChallenge,
  invalidTokenChallenge,
  missingTokenChallenge,
} from './auth/bearer.errors';
export { CurrentUser } from './auth/current-user.decorator';
export { Public } from './auth/public.decorator';
export { Scopes } from './auth/scopes.decorator';
export { CUSTOMER_SCOPES, SCOPES, type Scope } from './contracts/scopes.model';

// Data: Postgres and Redis
export { createDataSourceOptions } from './database/data-source.factory';
export { DatabaseModule } from './database/database.module';
export { migrateServiceFromEnv } from './database/migrations.service';
export { afterCommit } from './database/after-commit.hook';
export { UnitOfWork } from './database/unit-of-work.interceptor';
export { UnitOfWorkService } from './database/unit-of-work.service';
export { REDIS, RedisModule } from './redis/redis.module';

// Events: the contracts, writing them, handling them
export { parseEvent, type EventData, type EventType, type ShopEvent } from './events/contracts';
export { AmqpConnectionService } from './events/amqp-connection.service';
export { EventBusModule } from './events/event-bus.module';
export { OutboxService, type NewEvent } from './events/outbox/outbox.service';
export { createEventTablesMigration } from './events/outbox/event-tables.migration';
export { defineSubscriptions, type EventHandler } from './events/consumer/event.handler';
export { DEFAULT_EXCHANGE } from './events/topology.model';
export { asyncApiDocument } from './events/asyncapi/asyncapi-document.factory';

// Tracing
export { inSpanFrom, processSpanAttributes, SpanKind } from './tracing/trace-context.service';
