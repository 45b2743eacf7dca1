import type { EventType } from '@shop/shared';

/** Everything the gateway listens to: pushes to WebSockets, and the deny-list. */
export const GATEWAY_SUBSCRIPTIONS: readonly EventType[] = [
  'order.confirmed',
  'order.rejected',
  'order.cancelled',
  'inventory.low_stock',
  'user.disabled',
  'user.deleted',
  'announcement.published',
];
