import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventHandler, ShopEvent } from '@shop/shared';
import { StockRepository } from './stock.repository';

/**
 * A deleted item can no longer be reserved, but its row and levels stay:
 * orders already holding units must still be able to give them back.
 */
@Injectable()
export class ItemDeletedHandler implements EventHandler<'item.deleted'> {
  constructor(private readonly stock: StockRepository) {}

  async handle(event: ShopEvent<'item.deleted'>, tx: EntityManager): Promise<void> {
    await this.stock.discontinue(tx, event.data.itemId);
  }
}
