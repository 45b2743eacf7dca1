import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, DatabaseModule, EventBusModule, configModule, jwksUrlOf } from '@shop/shared';
import { subscriptions } from './events/orders.subscriptions';
import { OrderLine } from './orders/order-line.entity';
import { Order } from './orders/order.entity';
import { OrdersModule } from './orders/orders.module';
import { ORDERS_CONFIG, OrdersConfig } from './orders.config';

@Module({})
export class AppModule {
  static forRoot(config: OrdersConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(ORDERS_CONFIG, config),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, schema: 'orders', entities: [Order, OrderLine] }),
        AuthModule.forRoot({
          jwksUrl: jwksUrlOf(config),
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        EventBusModule.forRoot({ url: config.RABBITMQ_URL, service: 'orders', subscriptions }),
        OrdersModule,
      ],
    };
  }
}
