import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';
import { ItemImagesController } from './item-images.controller';
import { ItemImagesRepository } from './item-images.repository';
import { ItemImagesService } from './item-images.service';

@Module({
  imports: [ItemsModule],
  controllers: [ItemImagesController],
  providers: [ItemImagesService, ItemImagesRepository],
})
export class ItemImagesModule {}
