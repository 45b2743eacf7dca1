import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventHandler, OutboxService, ShopEvent } from '@shop/shared';
import { inventoryEvents } from '../events/inventory.events';
import { StockRepository } from '../stock/stock.repository';
import { ReservationsRepository } from './reservations.repository';

/**
 * Gives back what a cancelled order holds. A confirmed order's units stay
 * reserved until this point (fulfilment is outside the system).
 */
@Injectable()
export class OrderCancelledHandler implements EventHandler<'order.cancelled'> {
  constructor(
    private readonly stock: StockRepository,
    private readonly reservations: ReservationsRepository,
    private readonly outbox: OutboxService,
  ) {}

  async handle(event: ShopEvent<'order.cancelled'>, tx: EntityManager): Promise<void> {
    const { orderId } = event.data;
    // Not placed yet as far as inventory knows: remember the cancellation so
    // the late order.placed reserves nothing.
    if (await this.reservations.rememberCancellation(tx, orderId)) return;

    // Rejected orders hold nothing; released ones were already given back.
    if ((await this.reservations.lockStatus(tx, orderId)) !== 'RESERVED') return;

    // Lines come back in lock order, as reservations take them.
    const lines = await this.reservations.linesOf(tx, orderId);
    for (const { itemId, quantity } of lines) await this.stock.release(tx, itemId, quantity);
    await this.reservations.markReleased(tx, orderId);
    await this.outbox.add(tx, inventoryEvents.released(orderId, lines, event.correlationId));
  }
}
