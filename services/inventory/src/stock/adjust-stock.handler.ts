import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AdjustStockCommand } from './adjust-stock.command';
import { AdjustmentsRepository } from './adjustments.repository';
import { LowStockService } from './low-stock.service';
import type { StockLevels } from './stock-levels.model';
import { insufficientStock, stockLimitExceeded, stockNotFound } from './stock.errors';
import { StockRepository } from './stock.repository';

/** Carries out an adjustment with its audit row, or refuses it and changes nothing. */
@Injectable()
export class AdjustStockHandler {
  constructor(
    private readonly db: DataSource,
    private readonly stock: StockRepository,
    private readonly adjustments: AdjustmentsRepository,
    private readonly lowStock: LowStockService,
  ) {}

  async execute(command: AdjustStockCommand): Promise<StockLevels> {
    const { itemId, delta, reason, adjustedBy, requestId } = command;
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
      await this.lowStock.reportCrossing(tx, levels, delta, requestId);
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
