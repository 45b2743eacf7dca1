import { createEventTablesMigration } from '@shop/shared';
import { CreateOrders1764200000000 } from './1764200000000-create-orders.migration';

/** Every migration of the orders schema, oldest first. */
export const migrations = [CreateOrders1764200000000, createEventTablesMigration('orders', 1764200000001)];
