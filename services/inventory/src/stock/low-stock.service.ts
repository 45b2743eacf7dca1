import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '@shop/shared';
import { inventoryEvents } from '../events/inventory.events';
import { INVENTORY_CONFIG, type InventoryConfig } from '../inventory.config';
import type { StockLevels } from './stock-levels.model';

/**
 * Whether a change of available stock crossed below the threshold. Only the
 * crossing counts: an item that stays low is not reported again on every
 * reservation, and is reported anew once restocked and run down again.
 */
export function crossedBelowThreshold(threshold: number, before: number, after: number): boolean {
  return before >= threshold && after < threshold;
}

/**
 * The low-stock rule, for every change of available stock (adjustments and
 * reservations alike): the event goes into the change's own transaction.
 */
@Injectable()
export class LowStockService {
  constructor(
    private readonly outbox: OutboxService,
    @Inject(INVENTORY_CONFIG) private readonly config: Pick<InventoryConfig, 'LOW_STOCK_THRESHOLD'>,
  ) {}

  /** Adds `inventory.low_stock` to the outbox if changing available stock by `delta` to `after` crossed the threshold. */
  async reportCrossing(
    tx: EntityManager,
    after: StockLevels,
    delta: number,
    correlationId: string,
  ): Promise<void> {
    const threshold = this.config.LOW_STOCK_THRESHOLD;
    if (crossedBelowThreshold(threshold, after.available - delta, after.available)) {
      await this.outbox.add(tx, inventoryEvents.lowStock(after, threshold, correlationId));
    }
  }
}
