import { InventoryRejectedHandler } from '../orders/saga/inventory-rejected.handler';
import { InventoryReservedHandler } from '../orders/saga/inventory-reserved.handler';
import { defineSubscriptions } from '@shop/shared';

/** Every event the orders service consumes: the saga's answers from inventory. */
export const subscriptions = defineSubscriptions({
  'inventory.reserved': InventoryReservedHandler,
  'inventory.rejected': InventoryRejectedHandler,
});
