import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StockLevels } from './stock-levels.model';
import { stockNotFound } from './stock.errors';
import { StockRepository } from './stock.repository';

/** Reading an item's stock; changes go through AdjustStockHandler and the event handlers. */
@Injectable()
export class StockService {
  constructor(
    private readonly db: DataSource,
    private readonly stock: StockRepository,
  ) {}

  async levelsOf(itemId: string): Promise<StockLevels> {
    const levels = await this.stock.findLevels(this.db.manager, itemId);
    if (!levels) throw stockNotFound();
    return levels;
  }
}
