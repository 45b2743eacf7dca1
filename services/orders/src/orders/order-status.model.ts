import { invalidTransition } from './orders.errors';

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

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** @throws the 409 `ORDER.INVALID_TRANSITION` domain error when the machine forbids the change. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw invalidTransition(from, to);
}
