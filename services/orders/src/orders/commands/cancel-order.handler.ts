import { Injectable } from '@nestjs/common';
import { afterCommit, UnitOfWorkService } from '@shop/shared';
import type { Order } from '../order.entity';
import { mayAccess } from '../order-access.model';
import type { CANCEL_REASONS } from '../order-status.model';
import { OrderTransitionsService } from '../order-transitions.service';
import { invalidTransition, orderNotFound } from '../orders.errors';
import { OrdersMetrics } from '../orders.metrics';
import { OrdersRepository } from '../orders.repository';
import type { CancelOrderCommand } from './cancel-order.command';

/** Why an order is cancelled on request: by its owner, or by someone with `orders:all`. */
export type CancelReason = Extract<(typeof CANCEL_REASONS)[number], 'customer' | 'admin'>;

/**
 * Cancels an order on request. A customer may cancel only their own orders;
 * `orders:all` may cancel anyone's (reason `admin` unless it is their own).
 * Inventory releases what it holds when `order.cancelled` reaches it. Runs in
 * the request's unit of work (`@UnitOfWork()` on the route): a refusal thrown
 * here rolls back whatever the transition wrote.
 */
@Injectable()
export class CancelOrderHandler {
  constructor(
    private readonly unitOfWork: UnitOfWorkService,
    private readonly orders: OrdersRepository,
    private readonly transitions: OrderTransitionsService,
    private readonly metrics: OrdersMetrics,
  ) {}

  async execute(command: CancelOrderCommand): Promise<Order> {
    const { caller, orderId, requestId } = command;
    const tx = await this.unitOfWork.manager();
    const current = await this.orders.findById(tx, orderId);
    // Another user's order reads as unknown, so ids cannot be probed.
    if (!current || !mayAccess(caller, current)) throw orderNotFound();
    const reason: CancelReason = current.userId === caller.id ? 'customer' : 'admin';
    const outcome = await this.transitions.apply(tx, orderId, { to: 'CANCELLED', reason }, requestId);
    if (!outcome.order) throw orderNotFound();
    if (!outcome.applied) throw invalidTransition(outcome.order.status, 'CANCELLED');
    const order = outcome.order;
    afterCommit(tx, () => this.metrics.statusChanged(order));
    return order;
  }
}
