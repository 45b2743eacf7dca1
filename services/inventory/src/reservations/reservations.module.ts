import { Module } from '@nestjs/common';
import { StockModule } from '../stock/stock.module';
import { OrderCancelledHandler } from './order-cancelled.handler';
import { OrderPlacedHandler } from './order-placed.handler';
import { ReservationsRepository } from './reservations.repository';

@Module({
  imports: [StockModule],
  providers: [ReservationsRepository, OrderPlacedHandler, OrderCancelledHandler],
  exports: [OrderPlacedHandler, OrderCancelledHandler],
})
export class ReservationsModule {}
