import { Module } from '@nestjs/common';
import { ItemCacheStore } from './cache/item-cache.store';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { ItemsV2Controller } from './items-v2.controller';

@Module({
  controllers: [ItemsController, ItemsV2Controller],
  providers: [ItemsService, ItemsRepository, ItemCacheStore],
  // Images change items too: they bump the version and invalidate the cache.
  exports: [ItemsRepository, ItemCacheStore],
})
export class ItemsModule {}
