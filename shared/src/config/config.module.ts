import type { DynamicModule } from '@nestjs/common';

/** A global module providing a service's validated config under its injection token. */
export function configModule<T>(token: symbol, config: T): DynamicModule {
  return {
    module: class ConfigModule {},
    global: true,
    providers: [{ provide: token, useValue: config }],
    exports: [token],
  };
}
