import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '@shop/shared';
import { orderEvents } from '../events/orders.events';
import type { Order } from './order.entity';
import { canTransition } from './order-status.model';
import { concurrentUpdate } from './orders.errors';
import { OrdersRepository } from './orders.repository';

/** A status change and the reason it needs, if any. */
export type Transition =
  { to: 'CONFIRMED' } | { to: 'REJECTED'; reason: string } | { to: 'CANCELLED'; reason: string };

export type TransitionOutcome =
  | { applied: true; order: Order }
  /** The state machine refused the change; `order` is as it stands. */
  | { applied: false; order: Order }
  | { applied: false; order: null };

// Enough for any realistic contention on one order (a customer, the expiry job and a saga event).
const ATTEMPTS = 3;

/**
 * Every change of an order's status goes through here: checked against the
 * state machine, written with an optimistic version check, and its event added
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
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      // READ COMMITTED: every statement sees what committed before it, so a re-read after a lost race is fresh.
      const order = await this.orders.findById(tx, orderId);
      if (!order) return { applied: false, order: null };
      if (!canTransition(order.status, transition.to)) return { applied: false, order };

      const changed = await this.orders.changeStatus(tx, order, {
        status: transition.to,
        rejectReason: transition.to === 'REJECTED' ? transition.reason : undefined,
        cancelReason: transition.to === 'CANCELLED' ? transition.reason : undefined,
      });
      if (changed) {
        await this.outbox.add(tx, this.eventOf(changed, correlationId));
        return { applied: true, order: changed };
      }
    }
    throw concurrentUpdate();
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
