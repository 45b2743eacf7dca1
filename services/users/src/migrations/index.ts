import { createEventTablesMigration } from '@shop/shared';
import { CreateUsers1764000000000 } from './1764000000000-create-users.migration';
import { CreateNotifications1764000000001 } from './1764000000001-create-notifications.migration';

/** Every migration of the users schema, oldest first. */
export const migrations = [
  CreateUsers1764000000000,
  CreateNotifications1764000000001,
  createEventTablesMigration('users', 1764000000002),
];
