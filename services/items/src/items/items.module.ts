import { Module } from '@nestjs/common';
import { ItemCache } from './cache/item.cache';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { ItemsV2Controller } from './items-v2.controller';

@Module({
  controllers: [ItemsController, ItemsV2Controller],
  providers: [ItemsService, ItemsRepository, ItemCache],
  // Images change items too: they bump the version and invalidate the cache.
  exports: [ItemsRepository, ItemCache],
})
export class ItemsModule {}
