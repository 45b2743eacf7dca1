import type { EventData } from '@shop/shared';

/** The life of an order (SPEC: Orders). */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The one state machine of an order: every status change anywhere in the
 * service is checked against this table. REJECTED and CANCELLED are final.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'REJECTED', 'CANCELLED'],
  CONFIRMED: ['CANCELLED'],
  REJECTED: [],
  CANCELLED: [],
};

/** Whether the machine allows `from` → `to`: OrderTransitionsService asks before every change. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses an order may reach `to` from: the condition of the UPDATE that makes the change. */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canTransition(from, to));
}

/** Why inventory refused an order, as `inventory.rejected` says (a Record, so a new reason fails to compile). */
type RejectReason = EventData<'inventory.rejected'>['reason'];
const REJECT_REASON_SET: Record<RejectReason, true> = { OUT_OF_STOCK: true, UNKNOWN_ITEM: true };
export const REJECT_REASONS = Object.keys(REJECT_REASON_SET) as RejectReason[];

/** Why an order was cancelled: by its owner, by someone with `orders:all`, or by the expiry job. */
export const CANCEL_REASONS = ['customer', 'admin', 'expired'] as const;
