import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, ILike } from 'typeorm';
import { Item, ItemFields } from './item.entity';

/** `items.items`. A method that takes `tx` runs in the caller's transaction, and takes it first. */
@Injectable()
export class ItemsRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.db.manager).getRepository(Item);
  }

  findById(id: string): Promise<Item | null> {
    return this.repo().findOneBy({ id });
  }

  /** Reads an item and locks its row until the transaction ends. */
  findForUpdate(tx: EntityManager, id: string): Promise<Item | null> {
    return this.repo(tx).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  exists(id: string): Promise<boolean> {
    return this.repo().existsBy({ id });
  }

  /**
   * A page in creation order and the size of what it pages over: the whole
   * catalogue, or the items whose name or description contains `q`
   * (ILIKE, with `%`, `_` and a backslash in `q` taken literally).
   */
  page(skip: number, limit: number, q?: string): Promise<[Item[], number]> {
    const pattern = q === undefined ? undefined : `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = pattern ? [{ name: ILike(pattern) }, { description: ILike(pattern) }] : undefined;
    return this.repo().findAndCount({ where, order: { createdAt: 'ASC', id: 'ASC' }, skip, take: limit });
  }

  insert(tx: EntityManager, fields: ItemFields, ownerId: string): Promise<Item> {
    const repo = this.repo(tx);
    return repo.save(repo.create({ ...fields, ownerId }));
  }

  /**
   * Replaces an item's fields and bumps its version; null when there is no
   * such item. Run it in a transaction: the re-read must see this very write,
   * which the row lock taken by the UPDATE guarantees until commit.
   */
  async update(tx: EntityManager, id: string, fields: ItemFields): Promise<Item | null> {
    const repo = this.repo(tx);
    const { affected } = await repo.update({ id }, fields);
    return affected ? repo.findOneByOrFail({ id }) : null;
  }

  /** Marks an item changed without touching its fields (its image changed); its new version, or null. */
  async touch(tx: EntityManager, id: string): Promise<number | null> {
    // TypeORM adds `version = version + 1` to every update of a versioned entity.
    const result = await this.repo(tx)
      .createQueryBuilder()
      .update()
      .set({ updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .returning(['version'])
      .execute();
    const rows = result.raw as { version: number }[];
    return rows[0]?.version ?? null;
  }

  async delete(tx: EntityManager, id: string): Promise<boolean> {
    const { affected } = await this.repo(tx).delete({ id });
    return affected === 1;
  }
}
