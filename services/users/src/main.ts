import './tracing';
import { bootstrapService } from '@shop/shared';
import { AppModule } from './app.module';
import { usersEnv } from './users.config';

void bootstrapService({ name: 'users', env: usersEnv, module: (config) => AppModule.forRoot(config) });
