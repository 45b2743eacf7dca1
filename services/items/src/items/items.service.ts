import { Injectable } from '@nestjs/common';
import { type AuthenticatedUser, OutboxService } from '@shop/shared';
import { DataSource } from 'typeorm';
import { ItemCacheStore } from './cache/item-cache.store';
import { CreateItemDto } from './dto/create-item.dto';
import { Item, ItemFields } from './item.entity';
import { itemEvents } from '../events/items.events';
import { itemNotFound } from './items.errors';
import { ItemsRepository } from './items.repository';

export interface ItemPage {
  items: Item[];
  total: number;
}

@Injectable()
export class ItemsService {
  constructor(
    private readonly db: DataSource,
    private readonly items: ItemsRepository,
    private readonly cache: ItemCacheStore,
    private readonly outbox: OutboxService,
  ) {}

  /** Lists always come from Postgres: a page is cheap there, and hard to keep right in a cache. */
  async page(skip: number, limit: number, q?: string): Promise<ItemPage> {
    const [items, total] = await this.items.page(skip, limit, q);
    return { items, total };
  }

  async get(id: string): Promise<Item> {
    const item = await this.cache.read(id, () => this.items.findById(id));
    if (!item) throw itemNotFound();
    return item;
  }

  create(owner: AuthenticatedUser, dto: CreateItemDto): Promise<Item> {
    return this.db.transaction(async (tx) => {
      const item = await this.items.insert(tx, fieldsOf(dto), owner.id);
      await this.outbox.add(tx, itemEvents.created(item));
      return item;
    });
  }

  /** A full replacement, as PUT means: an optional field left out becomes null. */
  async replace(id: string, dto: CreateItemDto): Promise<Item> {
    const item = await this.db.transaction(async (tx) => {
      const updated = await this.items.update(tx, id, fieldsOf(dto));
      if (updated) await this.outbox.add(tx, itemEvents.updated(updated));
      return updated;
    });
    if (!item) throw itemNotFound();
    await this.cache.invalidate(id, item.version);
    return item;
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const item = await this.items.findForUpdate(tx, id);
      if (!item) throw itemNotFound();
      // Its image goes with it (ON DELETE CASCADE).
      await this.items.delete(tx, id);
      await this.outbox.add(tx, itemEvents.deleted(item));
    });
    await this.cache.invalidateDeleted(id);
  }
}

function fieldsOf(dto: CreateItemDto): ItemFields {
  return { name: dto.name, description: dto.description ?? null, price: dto.price, tax: dto.tax ?? null };
}
