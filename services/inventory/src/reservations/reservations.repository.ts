import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { execute } from '../database/sql.service';
import type { OrderLine } from './order-lines.model';

export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED' | 'CANCELLED_BEFORE_RESERVATION';
export type RejectReason = 'OUT_OF_STOCK' | 'UNKNOWN_ITEM';

/**
 * The outcome of every order inventory has seen. The row's primary key is the
 * meeting point of `order.placed` and `order.cancelled` for one order: whichever
 * inserts it first wins, and the other, blocked on the key until that commits,
 * then finds its outcome.
 */
@Injectable()
export class ReservationsRepository {
  /**
   * Claims a newly placed order (as RESERVED; the caller marks it REJECTED if
   * it cannot be). False if the order already has an outcome, such as an
   * earlier cancellation.
   */
  async claim(tx: EntityManager, orderId: string): Promise<boolean> {
    const { affected } = await execute(
      tx,
      `INSERT INTO inventory.order_reservations (order_id, status) VALUES ($1, 'RESERVED')
       ON CONFLICT (order_id) DO NOTHING`,
      [orderId],
    );
    return affected === 1;
  }

  /** Records a cancellation of an order not seen yet; false if the order already has an outcome. */
  async rememberCancellation(tx: EntityManager, orderId: string): Promise<boolean> {
    const { affected } = await execute(
      tx,
      `INSERT INTO inventory.order_reservations (order_id, status)
       VALUES ($1, 'CANCELLED_BEFORE_RESERVATION')
       ON CONFLICT (order_id) DO NOTHING`,
      [orderId],
    );
    return affected === 1;
  }

  /** The order's outcome, locked until the transaction ends so two cancellations cannot both release. */
  async lockStatus(tx: EntityManager, orderId: string): Promise<ReservationStatus | null> {
    const { rows } = await execute<{ status: ReservationStatus }>(
      tx,
      `SELECT status FROM inventory.order_reservations WHERE order_id = $1 FOR UPDATE`,
      [orderId],
    );
    return rows[0]?.status ?? null;
  }

  async addLines(tx: EntityManager, orderId: string, lines: readonly OrderLine[]): Promise<void> {
    await execute(
      tx,
      `INSERT INTO inventory.reservation_lines (order_id, item_id, quantity)
       SELECT $1, line.item_id, line.quantity FROM unnest($2::uuid[], $3::int[]) AS line (item_id, quantity)`,
      [orderId, lines.map((line) => line.itemId), lines.map((line) => line.quantity)],
    );
  }

  /** What the order holds, in lock order (uuid order). */
  async linesOf(tx: EntityManager, orderId: string): Promise<OrderLine[]> {
    const { rows } = await execute<OrderLine>(
      tx,
      `SELECT item_id AS "itemId", quantity FROM inventory.reservation_lines
       WHERE order_id = $1 ORDER BY item_id`,
      [orderId],
    );
    return rows;
  }

  async markRejected(
    tx: EntityManager,
    orderId: string,
    reason: RejectReason,
    itemId: string,
  ): Promise<void> {
    await execute(
      tx,
      `UPDATE inventory.order_reservations
         SET status = 'REJECTED', reject_reason = $2, rejected_item_id = $3, updated_at = now()
       WHERE order_id = $1`,
      [orderId, reason, itemId],
    );
  }

  async markReleased(tx: EntityManager, orderId: string): Promise<void> {
    await execute(
      tx,
      `UPDATE inventory.order_reservations SET status = 'RELEASED', updated_at = now() WHERE order_id = $1`,
      [orderId],
    );
  }
}
