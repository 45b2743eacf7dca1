import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { HealthRegistryService } from '../health/health-registry.service';
import { loggerOptions } from '../logging/logger.options';
import { HttpMetrics } from '../metrics/http.metrics';

/** Logging, metrics and the health registry, available to every module of a service. */
@Global()
@Module({})
export class ServiceCoreModule {
  static forRoot(service: string, logLevel: string, logStream?: DestinationStream): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [LoggerModule.forRoot(loggerOptions(service, logLevel, logStream))],
      providers: [{ provide: HttpMetrics, useValue: new HttpMetrics(service) }, HealthRegistryService],
      exports: [HttpMetrics, HealthRegistryService],
    };
  }
}
