import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventHandler, ShopEvent } from '@shop/shared';
import { OrderTransitionsService } from '../order-transitions.service';
import { OrdersMetrics } from '../orders.metrics';

/** Inventory could not hold every line: the order is REJECTED with inventory's reason. */
@Injectable()
export class InventoryRejectedHandler implements EventHandler<'inventory.rejected'> {
  private readonly logger = new Logger(InventoryRejectedHandler.name);

  constructor(
    private readonly transitions: OrderTransitionsService,
    private readonly metrics: OrdersMetrics,
  ) {}

  async handle(event: ShopEvent<'inventory.rejected'>, tx: EntityManager): Promise<void> {
    const { orderId, reason } = event.data;
    const outcome = await this.transitions.apply(
      tx,
      orderId,
      { to: 'REJECTED', reason },
      event.correlationId,
    );
    if (outcome.applied) return this.metrics.statusChanged(outcome.order);
    this.logger.log({ orderId, status: outcome.order?.status ?? 'unknown' }, 'inventory.rejected ignored');
  }
}
