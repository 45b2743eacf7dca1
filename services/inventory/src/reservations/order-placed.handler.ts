import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventHandler, OutboxService, ShopEvent } from '@shop/shared';
import { inventoryEvents } from '../events/inventory.events';
import { LowStockService } from '../stock/low-stock.service';
import { StockRepository } from '../stock/stock.repository';
import { inLockOrder } from './order-lines.model';
import { ReservationsRepository } from './reservations.repository';

/**
 * The saga's inventory step: reserves every line of a placed order, or none.
 * Runs in the bus's transaction with the inbox row, so the reservation, its
 * outcome and the events it emits commit together or not at all.
 */
@Injectable()
export class OrderPlacedHandler implements EventHandler<'order.placed'> {
  constructor(
    private readonly stock: StockRepository,
    private readonly reservations: ReservationsRepository,
    private readonly lowStock: LowStockService,
    private readonly outbox: OutboxService,
  ) {}

  async handle(event: ShopEvent<'order.placed'>, tx: EntityManager): Promise<void> {
    const { orderId } = event.data;
    // Already cancelled (the cancellation overtook this event), or already
    // decided: there is nothing to reserve, and nothing to tell.
    if (!(await this.reservations.claim(tx, orderId))) return;

    const lines = inLockOrder(event.data.lines);
    const outcome = await this.stock.reserveAll(tx, lines);
    if ('refused' in outcome) {
      const { itemId, known } = outcome.refused;
      const reason = known ? 'OUT_OF_STOCK' : 'UNKNOWN_ITEM';
      await this.reservations.markRejected(tx, orderId, reason, itemId);
      await this.outbox.add(tx, inventoryEvents.rejected(orderId, reason, itemId, event.correlationId));
      return;
    }

    await this.reservations.addLines(tx, orderId, lines);
    await this.outbox.add(tx, inventoryEvents.reserved(orderId, lines, event.correlationId));
    for (const [index, after] of outcome.reserved.entries()) {
      await this.lowStock.reportCrossing(tx, after, -lines[index].quantity, event.correlationId);
    }
  }
}
