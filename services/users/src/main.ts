import './tracing';
import { bootstrapService } from '@shop/shared';
import { AppModule } from './app.module';
import { loadUsersConfig } from './users.config';

const config = loadUsersConfig();
void bootstrapService(AppModule.forRoot(config), {
  name: 'users',
  port: config.PORT,
  logLevel: config.LOG_LEVEL,
});
