import './tracing';
import { bootstrapService } from '@shop/shared';
import { AppModule } from './app.module';
import { loadOrdersConfig } from './orders.config';

const config = loadOrdersConfig();
void bootstrapService(AppModule.forRoot(config), {
  name: 'orders',
  port: config.PORT,
  logLevel: config.LOG_LEVEL,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
});
