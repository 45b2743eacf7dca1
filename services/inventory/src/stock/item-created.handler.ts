import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventHandler, ShopEvent } from '@shop/shared';
import { StockRepository } from './stock.repository';

/** A new catalogue item starts with no stock; units arrive through adjustments. */
@Injectable()
export class ItemCreatedHandler implements EventHandler<'item.created'> {
  constructor(private readonly stock: StockRepository) {}

  async handle(event: ShopEvent<'item.created'>, tx: EntityManager): Promise<void> {
    await this.stock.createIfAbsent(tx, event.data.itemId);
  }
}
