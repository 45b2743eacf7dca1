import './tracing';
import { bootstrapService } from '@shop/shared';
import { AppModule } from './app.module';
import { loadItemsConfig } from './items.config';

const config = loadItemsConfig();
void bootstrapService(AppModule.forRoot(config), {
  name: 'items',
  port: config.PORT,
  logLevel: config.LOG_LEVEL,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
});
