import './tracing';
import { bootstrapService } from '@shop/shared';
import { AppModule } from './app.module';
import { itemsEnv } from './items.config';

void bootstrapService({ name: 'items', env: itemsEnv, module: (config) => AppModule.forRoot(config) });
