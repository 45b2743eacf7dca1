import { env, loadConfig, serviceEnv } from '@shop/shared';
import { z } from 'zod';

export const itemsEnv = serviceEnv.extend({
  RABBITMQ_URL: env.brokerUrl('items'),
  PORT: env.port(3002),
  /** Prepended to every cache key, so environments (and test runs) sharing one Redis never meet. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,64}$/, 'must be 1-64 letters, digits or : . _ -')
    .default('shop:items:'),
  // A cached item may outlive its row by at most this long if an invalidation
  // is lost; the floor keeps it well above the cache's fill deadline.
  ITEM_CACHE_TTL: env.duration('60s').refine((ms) => ms >= 10_000, 'must be at least 10s'),
});

export type ItemsConfig = z.infer<typeof itemsEnv>;

export const loadItemsConfig = (source: NodeJS.ProcessEnv = process.env): ItemsConfig =>
  loadConfig(itemsEnv, source);

/** Injection token of the validated items service config. */
export const ITEMS_CONFIG = Symbol('ITEMS_CONFIG');
