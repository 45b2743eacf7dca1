import { DynamicModule, Module } from '@nestjs/common';
import {
  AuthModule,
  DatabaseModule,
  RedisModule,
  EventBusModule,
  configModule,
  jwksUrlOf,
} from '@shop/shared';
import { ItemImagesModule } from './images/item-images.module';
import { Item } from './items/item.entity';
import { ItemsModule } from './items/items.module';
import { ITEMS_CONFIG, ItemsConfig } from './items.config';

@Module({})
export class AppModule {
  static forRoot(config: ItemsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(ITEMS_CONFIG, config),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, schema: 'items', entities: [Item] }),
        RedisModule.forRoot({
          url: config.REDIS_URL,
          keyPrefix: config.REDIS_KEY_PREFIX,
          name: 'items-cache',
        }),
        AuthModule.forRoot({
          jwksUrl: jwksUrlOf(config),
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        EventBusModule.forRoot({ url: config.RABBITMQ_URL, service: 'items' }),
        ItemsModule,
        ItemImagesModule,
      ],
    };
  }
}
