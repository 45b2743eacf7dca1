import './tracing';
import { bootstrapService } from '@shop/shared';
import { AppModule } from './app.module';
import { inventoryEnv } from './inventory.config';

void bootstrapService({
  name: 'inventory',
  env: inventoryEnv,
  module: (config) => AppModule.forRoot(config),
});
