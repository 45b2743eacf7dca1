import './tracing';
import { bootstrapService } from '@shop/shared';
import { AppModule } from './app.module';
import { loadInventoryConfig } from './inventory.config';

const config = loadInventoryConfig();
void bootstrapService(AppModule.forRoot(config), {
  name: 'inventory',
  port: config.PORT,
  logLevel: config.LOG_LEVEL,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
});
