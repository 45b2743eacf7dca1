import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventHandler, OutboxService, ShopEvent } from '@shop/shared';
import { inventoryEvents } from '../events/inventory.events';
import type { InventoryConfig } from '../inventory.config';
import { INVENTORY_CONFIG } from '../inventory.config.token';
import { crossedBelowThreshold } from '../stock/low-stock';
import { MAX_STOCK_UNITS, StockLevels } from '../stock/stock-levels';
import { StockRepository } from '../stock/stock.repository';
import { inLockOrder, OrderLine } from './order-lines';
import { RejectReason, ReservationsRepository } from './reservations.repository';

type Attempt = { reserved: StockLevels[] } | { refused: { reason: RejectReason; itemId: string } };

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
    private readonly outbox: OutboxService,
    @Inject(INVENTORY_CONFIG) private readonly config: Pick<InventoryConfig, 'LOW_STOCK_THRESHOLD'>,
  ) {}

  async handle(event: ShopEvent<'order.placed'>, tx: EntityManager): Promise<void> {
    const { orderId } = event.data;
    // Already cancelled (the cancellation overtook this event), or already
    // decided: there is nothing to reserve, and nothing to tell.
    if (!(await this.reservations.claim(tx, orderId))) return;

    const lines = inLockOrder(event.data.lines);
    const attempt = await this.reserveAll(tx, lines);
    if ('refused' in attempt) {
      const { reason, itemId } = attempt.refused;
      await this.reservations.markRejected(tx, orderId, reason, itemId);
      await this.outbox.add(tx, inventoryEvents.rejected(orderId, reason, itemId, event.correlationId));
      return;
    }

    await this.reservations.addLines(tx, orderId, lines);
    await this.outbox.add(tx, inventoryEvents.reserved(orderId, lines, event.correlationId));
    await this.reportLowStock(tx, lines, attempt.reserved, event.correlationId);
  }

  /**
   * Reserves line by line in lock order, each a conditional UPDATE. The first
   * line that cannot be reserved rolls back to the savepoint, undoing the
   * lines before it (and freeing their rows) while the transaction goes on to
   * record the rejection. A one-line order has nothing to undo, so it takes
   * no savepoint (two round trips fewer on the saga's common path).
   */
  private async reserveAll(tx: EntityManager, lines: OrderLine[]): Promise<Attempt> {
    const undoable = lines.length > 1;
    if (undoable) await tx.query('SAVEPOINT reserve_lines');
    const reserved: StockLevels[] = [];
    for (const { itemId, quantity } of lines) {
      // More than any item can ever hold is simply out of stock (and would overflow an int).
      const levels = quantity <= MAX_STOCK_UNITS ? await this.stock.reserve(tx, itemId, quantity) : null;
      if (!levels) {
        if (undoable) await tx.query('ROLLBACK TO SAVEPOINT reserve_lines');
        const known = await this.stock.isReservable(tx, itemId);
        return { refused: { reason: known ? 'OUT_OF_STOCK' : 'UNKNOWN_ITEM', itemId } };
      }
      reserved.push(levels);
    }
    if (undoable) await tx.query('RELEASE SAVEPOINT reserve_lines');
    return { reserved };
  }

  private async reportLowStock(
    tx: EntityManager,
    lines: OrderLine[],
    after: StockLevels[],
    correlationId: string,
  ): Promise<void> {
    const threshold = this.config.LOW_STOCK_THRESHOLD;
    for (const [index, levels] of after.entries()) {
      const before = levels.available + lines[index].quantity;
      if (crossedBelowThreshold(threshold, before, levels.available)) {
        await this.outbox.add(tx, inventoryEvents.lowStock(levels, threshold, correlationId));
      }
    }
  }
}
