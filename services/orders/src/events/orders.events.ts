import type { NewEvent } from '@shop/shared';
import type { Order } from '../orders/order.entity';

/**
 * The events an order publishes, each versioned by the order's own `version`
 * after the change it reports, so consumers can ignore stale ones.
 */
export const orderEvents = {
  placed: (order: Order, correlationId: string): NewEvent<'order.placed'> => ({
    type: 'order.placed',
    aggregateId: order.id,
    aggregateVersion: order.version,
    data: {
      orderId: order.id,
      userId: order.userId,
      lines: order.lines.map(({ itemId, quantity, unitPrice }) => ({ itemId, quantity, unitPrice })),
      total: order.total,
    },
    correlationId,
  }),

  confirmed: (order: Order, correlationId: string): NewEvent<'order.confirmed'> => ({
    type: 'order.confirmed',
    aggregateId: order.id,
    aggregateVersion: order.version,
    data: { orderId: order.id, userId: order.userId, status: 'CONFIRMED' },
    correlationId,
  }),

  rejected: (order: Order, correlationId: string): NewEvent<'order.rejected'> => ({
    type: 'order.rejected',
    aggregateId: order.id,
    aggregateVersion: order.version,
    data: { orderId: order.id, userId: order.userId, status: 'REJECTED', reason: order.rejectReason ?? '' },
    correlationId,
  }),

  /** Carries the lines, so inventory can release them without asking us. */
  cancelled: (order: Order, correlationId: string): NewEvent<'order.cancelled'> => ({
    type: 'order.cancelled',
    aggregateId: order.id,
    aggregateVersion: order.version,
    data: {
      orderId: order.id,
      userId: order.userId,
      status: 'CANCELLED',
      reason: order.cancelReason ?? '',
      lines: order.lines.map(({ itemId, quantity }) => ({ itemId, quantity })),
    },
    correlationId,
  }),
};
