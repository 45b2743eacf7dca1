import { Module } from '@nestjs/common';
import { AdjustmentsRepository } from './adjustments.repository';
import { ItemCreatedHandler } from './item-created.handler';
import { ItemDeletedHandler } from './item-deleted.handler';
import { StockController } from './stock.controller';
import { StockRepository } from './stock.repository';
import { StockService } from './stock.service';

@Module({
  controllers: [StockController],
  providers: [StockService, StockRepository, AdjustmentsRepository, ItemCreatedHandler, ItemDeletedHandler],
  exports: [StockRepository, ItemCreatedHandler, ItemDeletedHandler],
})
export class StockModule {}
