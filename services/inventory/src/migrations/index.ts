import { createEventTablesMigration } from '@shop/shared';
import { CreateInventory1764300000000 } from './1764300000000-create-inventory.migration';

/** Every migration of the inventory schema, oldest first. */
export const migrations = [
  CreateInventory1764300000000,
  createEventTablesMigration('inventory', 1764300000001),
];
