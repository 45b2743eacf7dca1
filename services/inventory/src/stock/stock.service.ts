import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AdjustStockCommand } from './adjust-stock.command';
import { AdjustmentsRepository } from './adjustments.repository';
import { LowStockService } from './low-stock.service';
import { StockLevels } from './stock-levels.model';
import { insufficientStock, stockLimitExceeded, stockNotFound } from './stock.errors';
import { StockRepository } from './stock.repository';

@Injectable()
export class StockService {
  constructor(
    private readonly db: DataSource,
    private readonly stock: StockRepository,
    private readonly adjustments: AdjustmentsRepository,
    private readonly lowStock: LowStockService,
  ) {}

  async levelsOf(itemId: string): Promise<StockLevels> {
    const levels = await this.stock.findLevels(this.db.manager, itemId);
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
      await this.lowStock.reportCrossing(tx, levels, delta, correlationId);
      return levels;
    });
  }

  // Only explains a refusal the conditional UPDATE already made; never decides.
  private async whyRefused(tx: EntityManager, itemId: string, delta: number) {
    const levels = await this.stock.findLevels(tx, itemId);
    if (!levels) return stockNotFound();
    if (levels.available + delta < 0) return insufficientStock(levels.available, delta);
    return stockLimitExceeded();
  }
}
