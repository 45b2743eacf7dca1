import { CreateUsers1764000000000 } from './1764000000000-create-users';

/** Every migration of the users schema, oldest first. */
export const migrations = [CreateUsers1764000000000];
