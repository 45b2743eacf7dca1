import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { HealthRegistry } from '../health/health.registry';
import { loggerOptions } from '../logging/logger-options';
import { Metrics } from '../metrics/metrics';

/** Logging, metrics and the health registry, available to every module of a service. */
@Global()
@Module({})
export class ServiceCoreModule {
  static forRoot(service: string, logLevel: string, logStream?: DestinationStream): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [LoggerModule.forRoot(loggerOptions(service, logLevel, logStream))],
      providers: [{ provide: Metrics, useValue: new Metrics(service) }, HealthRegistry],
      exports: [Metrics, HealthRegistry],
    };
  }
}
