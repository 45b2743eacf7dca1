import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { listenHost } from '../config/env-fields';
import { ProblemFilter } from '../errors/problem.filter';
import { createValidationPipe } from '../errors/validation';
import { requestIdFor } from '../http/request-id';
import { stdoutLogStream } from '../logging/log-stream';
import { Metrics } from '../metrics/metrics';
import { registerRequestHooks } from './request-hooks';
import { ServiceCoreModule } from './service-core.module';
import { registerServiceRoutes } from './service-routes';

export interface ServiceOptions {
  /** Service name, used in logs, metrics labels and the OpenAPI title. */
  name: string;
  port: number;
  host?: string;
  logLevel?: string;
  bodyLimitBytes?: number;
  /** Where logs go; standard output unless a test captures them. */
  logStream?: DestinationStream;
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Builds a service's application with everything the platform gives every
 * service, without listening: tests call this and use `app.inject()`.
 */
export async function createServiceApp(
  appModule: Type | DynamicModule,
  options: ServiceOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    genReqId: (raw: IncomingMessage) => requestIdFor(raw),
    requestIdHeader: false,
    return503OnClosing: true,
  });
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
  // Exiting (rather than dying of the signal again) runs the 'exit' handlers,
  // where pino writes the log lines still buffered.
  app.enableShutdownHooks([], { useProcessExit: true });

  const fastify = app.getHttpAdapter().getInstance();
  registerRequestHooks(fastify, { metrics: app.get(Metrics), logger: PinoLogger.root });
  registerServiceRoutes(app, fastify, options.name);
  await app.init();
  return app;
}

/**
 * Starts a service: `main.ts` is this one call. Listens on `options.port`,
 * logs where, and on SIGTERM/SIGINT stops taking requests, finishes the ones
 * in flight, closes its connections and exits.
 */
export async function bootstrapService(
  appModule: Type | DynamicModule,
  options: ServiceOptions,
): Promise<NestFastifyApplication> {
  const app = await createServiceApp(appModule, options);
  const host = options.host ?? listenHost();
  await app.listen(options.port, host);
  app.get(Logger).log(`${options.name} listening on ${host}:${options.port}`, 'Bootstrap');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref());
  }
  return app;
}
