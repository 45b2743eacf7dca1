import { Module } from '@nestjs/common';
import { OrderExpiryService } from '../expiry/order-expiry.service';
import { IdempotencyKeysRepository } from '../idempotency/idempotency-keys.repository';
import { ItemsClient } from '../items/items.client';
import { CancelOrderHandler } from './commands/cancel-order.handler';
import { PlaceOrderHandler } from './commands/place-order.handler';
import { OrderTransitionsService } from './order-transitions.service';
import { OrdersController } from './orders.controller';
import { OrdersMetrics } from './orders.metrics';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { InventoryRejectedHandler } from './saga/inventory-rejected.handler';
import { InventoryReservedHandler } from './saga/inventory-reserved.handler';

@Module({
  controllers: [OrdersController],
  providers: [
    OrdersRepository,
    IdempotencyKeysRepository,
    ItemsClient,
    OrdersMetrics,
    OrderTransitionsService,
    PlaceOrderHandler,
    CancelOrderHandler,
    OrdersService,
    InventoryReservedHandler,
    InventoryRejectedHandler,
    OrderExpiryService,
  ],
  exports: [InventoryReservedHandler, InventoryRejectedHandler],
})
export class OrdersModule {}
