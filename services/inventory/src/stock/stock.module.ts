import { Module } from '@nestjs/common';
import { AdjustStockHandler } from './adjust-stock.handler';
import { AdjustmentsRepository } from './adjustments.repository';
import { ItemCreatedHandler } from './item-created.handler';
import { ItemDeletedHandler } from './item-deleted.handler';
import { LowStockService } from './low-stock.service';
import { StockController } from './stock.controller';
import { StockRepository } from './stock.repository';
import { StockService } from './stock.service';

@Module({
  controllers: [StockController],
  providers: [
    StockService,
    AdjustStockHandler,
    StockRepository,
    AdjustmentsRepository,
    LowStockService,
    ItemCreatedHandler,
    ItemDeletedHandler,
  ],
  exports: [StockRepository, LowStockService, ItemCreatedHandler, ItemDeletedHandler],
})
export class StockModule {}
