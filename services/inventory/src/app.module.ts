import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, DatabaseModule, EventBusModule, configModule, jwksUrlOf } from '@shop/shared';
import { INVENTORY_CONFIG, InventoryConfig } from './inventory.config';
import { subscriptions } from './events/inventory.subscriptions';
import { ReservationsModule } from './reservations/reservations.module';
import { StockModule } from './stock/stock.module';

@Module({})
export class AppModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(INVENTORY_CONFIG, config),
        // Plain SQL throughout: the stock rules live in conditional UPDATEs, not in entities.
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: 'inventory',
          entities: [],
          poolSize: config.DATABASE_POOL_SIZE,
        }),
        AuthModule.forRoot({
          jwksUrl: jwksUrlOf(config),
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        EventBusModule.forRoot({ url: config.RABBITMQ_URL, service: 'inventory', subscriptions }),
        StockModule,
        ReservationsModule,
      ],
    };
  }
}
