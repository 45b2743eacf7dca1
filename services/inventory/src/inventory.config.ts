import { env, loadConfig, serviceEnv } from '@shop/shared';
import { z } from 'zod';

export const inventoryEnv = serviceEnv.extend({
  PORT: env.port(3004),
  RABBITMQ_URL: env.brokerUrl('inventory'),
  /** `inventory.low_stock` is emitted when an item's available stock falls below this. */
  LOW_STOCK_THRESHOLD: env.positiveInt(5),
  // Reservations hold a connection each while they lock stock rows; the pool
  // bounds how many run at once.
  DATABASE_POOL_SIZE: env.positiveInt(20),
});

export type InventoryConfig = z.infer<typeof inventoryEnv>;

export const loadInventoryConfig = (source: NodeJS.ProcessEnv = process.env): InventoryConfig =>
  loadConfig(inventoryEnv, source);

/** Injection token of the validated inventory service config. */
export const INVENTORY_CONFIG = Symbol('INVENTORY_CONFIG');
