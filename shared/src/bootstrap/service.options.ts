import type { DestinationStream } from 'pino';
import type { ServiceEnv } from '../config/env-fields.config';

/** How the platform runs one service: what `createServiceApp` and `bootstrapService` wire. */
export interface ServiceOptions {
  /** Service name, used in logs, metrics labels and the OpenAPI title. */
  name: string;
  /** Where `bootstrapService` listens; an app made by `createServiceApp` does not listen. */
  port: number;
  host?: string;
  logLevel?: string;
  bodyLimitBytes?: number;
  /** How long readiness is false before the port closes on SIGTERM. */
  shutdownDelayMs?: number;
  /** Where logs go; standard output unless a test captures them. */
  logStream?: DestinationStream;
}

/** Every option but where logs go: a config names each of them. */
export type ServiceSettings = Required<Omit<ServiceOptions, 'logStream'>>;

/**
 * The platform's settings of a loaded config: every variable of `serviceEnv`
 * that the platform rather than the service's own modules reads. `main.ts`
 * (through `bootstrapService`) and the tests' app builders both go through
 * it, so neither can leave one out, and its type makes an option added to
 * `ServiceOptions` a compile error here until a variable feeds it.
 */
export function serviceOptions(name: string, config: ServiceEnv): ServiceSettings {
  return {
    name,
    port: config.PORT,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    shutdownDelayMs: config.SHUTDOWN_DELAY,
  };
}
