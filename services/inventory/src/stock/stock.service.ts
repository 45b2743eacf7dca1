import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from '@shop/shared';
import { inventoryEvents } from '../events/inventory.events';
import type { InventoryConfig } from '../inventory.config';
import { INVENTORY_CONFIG } from '../inventory.config.token';
import { AdjustStockCommand } from './adjust-stock.command';
import { AdjustmentsRepository } from './adjustments.repository';
import { crossedBelowThreshold } from './low-stock';
import { StockLevels } from './stock-levels';
import { insufficientStock, stockLimitExceeded, stockNotFound } from './stock.errors';
import { StockRepository } from './stock.repository';

@Injectable()
export class StockService {
  constructor(
    private readonly db: DataSource,
    private readonly stock: StockRepository,
    private readonly adjustments: AdjustmentsRepository,
    private readonly outbox: OutboxService,
    @Inject(INVENTORY_CONFIG) private readonly config: Pick<InventoryConfig, 'LOW_STOCK_THRESHOLD'>,
  ) {}

  async levelsOf(itemId: string): Promise<StockLevels> {
    const levels = await this.stock.findLevels(itemId);
    if (!levels) throw stockNotFound();
    return levels;
  }

  /** Applies an adjustment with its audit row, or refuses it and changes nothing. */
  async adjust(command: AdjustStockCommand): Promise<StockLevels> {
    const { itemId, delta, reason, adjustedBy, correlationId } = command;
    return this.db.transaction(async (tx) => {
      const levels = await this.stock.adjust(tx, itemId, delta);
      if (!levels) throw await this.whyRefused(tx, itemId, delta);

      await this.adjustments.record(tx, {
        itemId,
        delta,
        reason,
        adjustedBy,
        availableAfter: levels.available,
      });
      const threshold = this.config.LOW_STOCK_THRESHOLD;
      if (crossedBelowThreshold(threshold, levels.available - delta, levels.available)) {
        await this.outbox.add(tx, inventoryEvents.lowStock(levels, threshold, correlationId));
      }
      return levels;
    });
  }

  // Only explains a refusal the conditional UPDATE already made; never decides.
  private async whyRefused(tx: EntityManager, itemId: string, delta: number) {
    const levels = await this.stock.findLevels(itemId, tx);
    if (!levels) return stockNotFound();
    if (levels.available + delta < 0) return insufficientStock(levels.available, delta);
    return stockLimitExceeded();
  }
}
