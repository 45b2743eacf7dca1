import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventHandler, ShopEvent } from '@shop/shared';
import { OrderTransitionsService } from '../order-transitions.service';
import { OrdersMetrics } from '../orders.metrics';

/**
 * Inventory holds every line: the order is CONFIRMED and `order.confirmed`
 * goes out. If the order was cancelled meanwhile it stays CANCELLED: its
 * `order.cancelled` (already in the outbox) makes inventory release the
 * reservation, or skip it if the cancellation arrived first.
 */
@Injectable()
export class InventoryReservedHandler implements EventHandler<'inventory.reserved'> {
  private readonly logger = new Logger(InventoryReservedHandler.name);

  constructor(
    private readonly transitions: OrderTransitionsService,
    private readonly metrics: OrdersMetrics,
  ) {}

  async handle(event: ShopEvent<'inventory.reserved'>, tx: EntityManager): Promise<void> {
    const { orderId } = event.data;
    const outcome = await this.transitions.apply(tx, orderId, { to: 'CONFIRMED' }, event.correlationId);
    if (outcome.applied) return this.metrics.statusChanged(outcome.order);
    // Not an error to retry: the order is unknown, or its state already says more.
    this.logger.log({ orderId, status: outcome.order?.status ?? 'unknown' }, 'inventory.reserved ignored');
  }
}
