import type { AuthenticatedUser } from '@shop/shared';
import type { OrderLineDto } from '../dto/place-order.dto';

/** A customer's request to place an order, with what makes repeats safe. */
export interface PlaceOrderCommand {
  caller: AuthenticatedUser;
  lines: OrderLineDto[];
  /** The client's `Idempotency-Key`, scoped to the caller. */
  idempotencyKey?: string;
  /** Sent to items and carried by the events as their correlation id. */
  requestId: string;
}

/** What the endpoint answers: the first response again when the key was seen before. */
export interface PlaceOrderResult {
  status: number;
  body: unknown;
  replayed: boolean;
}
