import { createEventTablesMigration } from '@shop/shared';
import { CreateItems1764100000000 } from './1764100000000-create-items.migration';

/** Every migration of the items schema, oldest first. */
export const migrations = [CreateItems1764100000000, createEventTablesMigration('items', 1764100000001)];
