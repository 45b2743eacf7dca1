import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '@shop/shared';
import { orderEvents } from '../events/orders.events';
import type { Order } from './order.entity';
import { statusesBefore } from './order-status.model';
import { OrdersRepository } from './orders.repository';

/** A status change and the reason it needs, if any. */
export type Transition =
  { to: 'CONFIRMED' } | { to: 'REJECTED'; reason: string } | { to: 'CANCELLED'; reason: string };

export type TransitionOutcome =
  | { applied: true; order: Order }
  /** The state machine refused the change; `order` is as it stands. */
  | { applied: false; order: Order }
  | { applied: false; order: null };

/**
 * Every change of an order's status goes through here: checked against the
 * state machine in the UPDATE's own condition, and its event added
 * to the outbox in the caller's transaction.
 */
@Injectable()
export class OrderTransitionsService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly outbox: OutboxService,
  ) {}

  async apply(
    tx: EntityManager,
    orderId: string,
    transition: Transition,
    correlationId: string,
  ): Promise<TransitionOutcome> {
    // One statement decides and writes: the status must be one the machine allows the change from.
    const changed = await this.orders.changeStatus(tx, orderId, statusesBefore(transition.to), {
      status: transition.to,
      rejectReason: transition.to === 'REJECTED' ? transition.reason : undefined,
      cancelReason: transition.to === 'CANCELLED' ? transition.reason : undefined,
    });
    if (changed) {
      await this.outbox.add(tx, this.eventOf(changed, correlationId));
      return { applied: true, order: changed };
    }
    // Refused: unknown, or in a status the change cannot leave from. Statuses only move
    // forward, so what this read sees refuses the change too.
    const order = await this.orders.findById(tx, orderId);
    return order ? { applied: false, order } : { applied: false, order: null };
  }

  private eventOf(order: Order, correlationId: string) {
    switch (order.status) {
      case 'CONFIRMED':
        return orderEvents.confirmed(order, correlationId);
      case 'REJECTED':
        return orderEvents.rejected(order, correlationId);
      case 'CANCELLED':
        return orderEvents.cancelled(order, correlationId);
      default:
        throw new Error(`No event for a change to ${order.status}`);
    }
  }
}
