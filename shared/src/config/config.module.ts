import type { DynamicModule } from '@nestjs/common';

/**
 * The same config under one token for every service, for the platform's own
 * modules: `AuthModule` reads the Redis variables of `serviceEnv` from it.
 */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

/** A global module providing a service's validated config under its injection token (and `SERVICE_CONFIG`). */
export function configModule<T>(token: symbol, config: T): DynamicModule {
  return {
    module: class ConfigModule {},
    global: true,
    providers: [
      { provide: token, useValue: config },
      { provide: SERVICE_CONFIG, useValue: config },
    ],
    exports: [token, SERVICE_CONFIG],
  };
}
