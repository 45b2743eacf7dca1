import type { AuthenticatedUser } from '@shop/shared';
import type { OrderLineDto } from '../dto/place-order.dto';
import type { Order } from '../order.entity';

/** A customer's request to place an order, with what makes repeats safe. */
export interface PlaceOrderCommand {
  caller: AuthenticatedUser;
  lines: OrderLineDto[];
  /** The client's `Idempotency-Key`, scoped to the caller. */
  idempotencyKey?: string;
  /** Sent to items and carried by the events as their correlation id. */
  requestId: string;
}

/**
 * The order placed, or, for a repeat of an earlier request with the same key,
 * the order that request placed, as it was then.
 */
export interface PlaceOrderResult {
  order: Order;
  replayed: boolean;
}
