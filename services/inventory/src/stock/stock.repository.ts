import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { execute } from '../database/sql.service';
import { MAX_STOCK_UNITS, type StockLevels } from './stock-levels.model';

const LEVELS = `item_id AS "itemId", available, reserved, version`;

/**
 * Every line reserved (their levels after, in the lines' order), or none: the
 * first line that could not be, and whether inventory holds that item at all
 * (`known` false: never created, or discontinued).
 */
export type ReserveAllOutcome = { reserved: StockLevels[] } | { refused: { itemId: string; known: boolean } };

/**
 * Every change of stock is one conditional UPDATE: the condition and the write
 * are one atomic statement, so concurrent writers cannot both pass a check that
 * only one of them may pass (no read-then-write). Under READ COMMITTED a
 * writer that waited for a row lock re-checks the condition on the row's
 * newest version before writing.
 */
@Injectable()
export class StockRepository {
  /** In `tx`, or outside a transaction with the data source's manager. */
  async findLevels(tx: EntityManager, itemId: string): Promise<StockLevels | null> {
    const { rows } = await execute<StockLevels>(
      tx,
      `SELECT ${LEVELS} FROM inventory.stock WHERE item_id = $1`,
      [itemId],
    );
    return rows[0] ?? null;
  }

  /** Creates an empty stock row; true if it was new. An item deleted first stays discontinued. */
  async createIfAbsent(tx: EntityManager, itemId: string): Promise<boolean> {
    const { affected } = await execute(
      tx,
      `INSERT INTO inventory.stock (item_id) VALUES ($1) ON CONFLICT (item_id) DO NOTHING`,
      [itemId],
    );
    return affected === 1;
  }

  /**
   * Stops new reservations of an item. The row stays: orders holding it can
   * still be cancelled and given back. A deletion that overtakes the creation
   * leaves a discontinued row, so the late `item.created` cannot revive it.
   */
  async discontinue(tx: EntityManager, itemId: string): Promise<void> {
    await execute(
      tx,
      `INSERT INTO inventory.stock (item_id, discontinued_at) VALUES ($1, now())
       ON CONFLICT (item_id) DO UPDATE
         SET discontinued_at = coalesce(stock.discontinued_at, now()), updated_at = now()`,
      [itemId],
    );
  }

  /** Adds `delta` to available stock unless that would take it below zero or over the limit; null if refused. */
  async adjust(tx: EntityManager, itemId: string, delta: number): Promise<StockLevels | null> {
    const { rows } = await execute<StockLevels>(
      tx,
      `UPDATE inventory.stock
         SET available = available + $2, version = version + 1, updated_at = now()
       WHERE item_id = $1 AND available + $2 >= 0 AND available + reserved + $2 <= $3
       RETURNING ${LEVELS}`,
      [itemId, delta, MAX_STOCK_UNITS],
    );
    return rows[0] ?? null;
  }

  /**
   * Reserves the lines one by one, in the order given (the caller's lock
   * order), each a conditional UPDATE. The first line that cannot be reserved
   * rolls back to the savepoint, undoing the lines before it (and freeing
   * their rows) while the transaction goes on to record the refusal. A
   * one-line order has nothing to undo, so it takes no savepoint (two round
   * trips fewer on the saga's common path).
   */
  async reserveAll(
    tx: EntityManager,
    lines: readonly { itemId: string; quantity: number }[],
  ): Promise<ReserveAllOutcome> {
    const undoable = lines.length > 1;
    if (undoable) await tx.query('SAVEPOINT reserve_lines');
    const reserved: StockLevels[] = [];
    for (const { itemId, quantity } of lines) {
      // More than any item can ever hold is simply out of stock (and would overflow an int).
      const levels = quantity <= MAX_STOCK_UNITS ? await this.reserve(tx, itemId, quantity) : null;
      if (!levels) {
        if (undoable) await tx.query('ROLLBACK TO SAVEPOINT reserve_lines');
        return { refused: { itemId, known: await this.isReservable(tx, itemId) } };
      }
      reserved.push(levels);
    }
    if (undoable) await tx.query('RELEASE SAVEPOINT reserve_lines');
    return { reserved };
  }

  /** Moves `quantity` from available to reserved if that much is available; null if not (or unknown). */
  private async reserve(tx: EntityManager, itemId: string, quantity: number): Promise<StockLevels | null> {
    const { rows } = await execute<StockLevels>(
      tx,
      `UPDATE inventory.stock
         SET available = available - $2, reserved = reserved + $2, version = version + 1, updated_at = now()
       WHERE item_id = $1 AND available >= $2 AND discontinued_at IS NULL
       RETURNING ${LEVELS}`,
      [itemId, quantity],
    );
    return rows[0] ?? null;
  }

  /** Moves `quantity` back from reserved to available; the CHECK refuses giving back more than is held. */
  async release(tx: EntityManager, itemId: string, quantity: number): Promise<StockLevels> {
    const { rows } = await execute<StockLevels>(
      tx,
      `UPDATE inventory.stock
         SET available = available + $2, reserved = reserved - $2, version = version + 1, updated_at = now()
       WHERE item_id = $1
       RETURNING ${LEVELS}`,
      [itemId, quantity],
    );
    if (!rows[0]) throw new Error(`stock row of reserved item ${itemId} is missing`);
    return rows[0];
  }

  /** Whether new reservations of the item may be made (it exists and is not discontinued). */
  private async isReservable(tx: EntityManager, itemId: string): Promise<boolean> {
    const { rows } = await execute(
      tx,
      `SELECT 1 FROM inventory.stock WHERE item_id = $1 AND discontinued_at IS NULL`,
      [itemId],
    );
    return rows.length === 1;
  }
}
