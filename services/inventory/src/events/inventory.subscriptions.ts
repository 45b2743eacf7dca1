import { OrderCancelledHandler } from '../reservations/order-cancelled.handler';
import { OrderPlacedHandler } from '../reservations/order-placed.handler';
import { ItemCreatedHandler } from '../stock/item-created.handler';
import { ItemDeletedHandler } from '../stock/item-deleted.handler';
import { defineSubscriptions } from '@shop/shared';

/**
 * Everything inventory consumes. Each handler runs in one transaction with
 * the inbox row of its event, so a redelivered event changes nothing.
 * `item.updated` is not here: nothing inventory keeps depends on an item's
 * name or price.
 */
export const subscriptions = defineSubscriptions({
  'item.created': ItemCreatedHandler,
  'item.deleted': ItemDeletedHandler,
  'order.placed': OrderPlacedHandler,
  'order.cancelled': OrderCancelledHandler,
});
