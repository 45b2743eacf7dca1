import './tracing';
import { bootstrapService } from '@shop/shared';
import { AppModule } from './app.module';
import { ordersEnv } from './orders.config';

void bootstrapService({ name: 'orders', env: ordersEnv, module: (config) => AppModule.forRoot(config) });
