import { env, loadConfig, serviceEnv } from '@shop/shared';
import { z } from 'zod';

export const usersEnv = serviceEnv.extend({
  RABBITMQ_URL: env.brokerUrl('users'),
  PORT: env.port(3001),
  /** The bootstrap admin, created at start with every scope when both are set. */
  ADMIN_USERNAME: z
    .string()
    .regex(/^[A-Za-z0-9]{3,50}$/, 'must be 3-50 letters or digits')
    .optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  ACCESS_TOKEN_TTL: env.duration('15m').refine((ms) => ms <= 15 * 60_000, 'must be at most 15m'),
  REFRESH_TOKEN_TTL: env.duration('336h'),
});

export type UsersConfig = z.infer<typeof usersEnv>;

export const loadUsersConfig = (source: NodeJS.ProcessEnv = process.env): UsersConfig =>
  loadConfig(usersEnv, source);

/** Injection token of the validated users service config. */
export const USERS_CONFIG = Symbol('USERS_CONFIG');
