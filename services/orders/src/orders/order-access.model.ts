import { AuthenticatedUser, hasScope } from '@shop/shared';
import type { Order } from './order.entity';

/** A customer sees and cancels their own orders; `orders:all` any order. */
export function mayAccess(caller: AuthenticatedUser, order: Pick<Order, 'userId'>): boolean {
  return order.userId === caller.id || hasScope(caller, 'orders:all');
}
