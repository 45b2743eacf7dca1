import type { AuthenticatedUser } from '@shop/shared';

/** A request to cancel an order: by its owner, or by someone with `orders:all`. */
export interface CancelOrderCommand {
  caller: AuthenticatedUser;
  orderId: string;
  /** Carried by `order.cancelled` as its correlation id. */
  requestId: string;
}
