import { Injectable } from '@nestjs/common';
import { AuthenticatedUser, hasScope } from '@shop/shared';
import { DataSource } from 'typeorm';
import type { Order } from './order.entity';
import { mayAccess } from './order-access.model';
import { orderNotFound } from './orders.errors';
import { OrdersRepository } from './orders.repository';

/** Reading orders: customers see their own, `orders:all` sees everyone's. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly db: DataSource,
    private readonly orders: OrdersRepository,
  ) {}

  list(caller: AuthenticatedUser, skip: number, limit: number): Promise<Order[]> {
    const filter = hasScope(caller, 'orders:all') ? {} : { userId: caller.id };
    return this.orders.list(filter, skip, limit);
  }

  async get(caller: AuthenticatedUser, id: string): Promise<Order> {
    const order = await this.orders.findById(this.db.manager, id);
    if (!order || !mayAccess(caller, order)) throw orderNotFound();
    return order;
  }
}
