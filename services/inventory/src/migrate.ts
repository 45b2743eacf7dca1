import { migrateServiceFromEnv } from '@shop/shared';
import { migrations } from './migrations';

void migrateServiceFromEnv({ schema: 'inventory', migrations });
