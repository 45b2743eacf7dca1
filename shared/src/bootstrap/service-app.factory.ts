import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { z } from 'zod';
import type { ServiceEnv } from '../config/env-fields.config';
import { loadConfig } from '../config/config.factory';
import { ProblemFilter } from '../errors/problem.filter';
import { createValidationPipe } from '../errors/validation.pipe';
import { stdoutLogStream } from '../logging/log-stream.factory';
import { HttpMetrics } from '../metrics/http.metrics';
import { createFastifyAdapter } from './fastify-adapter.factory';
import { registerRequestHooks } from './request.hook';
import { ServiceCoreModule } from './service-core.module';
import { serviceOptions, type ServiceOptions } from './service.options';
import { registerServiceRoutes } from './service.routes';
import { enableGracefulShutdown, exitIfShutdownHangs } from './shutdown.hook';

/** What a service tells `bootstrapService`; everything else is the platform's. */
export interface ServiceDefinition<C extends ServiceEnv> {
  /** Used in logs, metrics labels and the OpenAPI title. */
  name: string;
  /** The service's variables: `serviceEnv` extended with its own. */
  env: z.ZodType<C>;
  /** The service's root module, made from its validated config. */
  module: (config: C) => Type | DynamicModule;
}

/**
 * Builds a service's application with everything the platform gives every
 * service, without listening: tests call this and use `app.inject()`, with
 * the options `serviceOptions()` makes of their config, as `main.ts` does.
 */
export async function createServiceApp(
  appModule: Type | DynamicModule,
  options: ServiceOptions,
): Promise<NestFastifyApplication> {
  const adapter = createFastifyAdapter({ bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024 });
  const root = {
    module: class ServiceRootModule {},
    imports: [
      ServiceCoreModule.forRoot(
        options.name,
        options.logLevel ?? 'info',
        options.logStream ?? stdoutLogStream(),
      ),
      appModule,
    ],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  // helmet's defaults, resolved once at start rather than by helmet's middleware on every request.
  app.useSecurityHeaders();

  const fastify = app.getHttpAdapter().getInstance();
  registerRequestHooks(fastify, { metrics: app.get(HttpMetrics), logger: PinoLogger.root });
  registerServiceRoutes(app, fastify, options.name);
  await app.init();
  return app;
}

/**
 * Starts a service; its `main.ts` is this one call. Loads and validates the
 * config from `env` (a bad variable stops the process with one line naming
 * it), builds the app with the platform's settings of that config (port,
 * host, log level, body limit), listens and logs where. On SIGTERM it turns
 * readiness false for SHUTDOWN_DELAY while still serving, then stops taking
 * requests, finishes the ones in flight, closes its connections and exits.
 *
 * @example
 * void bootstrapService({ name: 'items', env: itemsEnv, module: (config) => AppModule.forRoot(config) });
 */
export async function bootstrapService<C extends ServiceEnv>(
  service: ServiceDefinition<C>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NestFastifyApplication> {
  const config = loadConfig(service.env, env);
  const options = serviceOptions(service.name, config);
  const app = await createServiceApp(service.module(config), options);
  await app.listen(options.port, options.host);
  app.get(Logger).log(`${options.name} listening on ${options.host}:${options.port}`, 'Bootstrap');
  enableGracefulShutdown(app, { delayMs: options.shutdownDelayMs });
  exitIfShutdownHangs();
  return app;
}
