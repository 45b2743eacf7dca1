import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Order } from './order.entity';
import type { OrderStatus } from './order-status';

export interface NewOrder {
  id: string;
  userId: string;
  total: string;
  lines: { itemId: string; quantity: number; unitPrice: string }[];
}

export interface StatusChange {
  id: string;
  /** The version the caller read; the update only happens if nobody changed the order since. */
  expectedVersion: number;
  status: OrderStatus;
  rejectReason?: string;
  cancelReason?: string;
}

const WITH_LINES = { relations: { lines: true }, order: { lines: { lineNo: 'ASC' } } } as const;

@Injectable()
export class OrdersRepository {
  constructor(private readonly db: DataSource) {}

  private manager(tx?: EntityManager): EntityManager {
    return tx ?? this.db.manager;
  }

  /** Inserts a PENDING order (version 1) and its lines; returns it as stored. */
  async insert(tx: EntityManager, order: NewOrder): Promise<Order> {
    await tx.query(`INSERT INTO orders.orders (id, user_id, status, total) VALUES ($1, $2, 'PENDING', $3)`, [
      order.id,
      order.userId,
      order.total,
    ]);
    const lines = order.lines.map((line, index) => [
      order.id,
      index + 1,
      line.itemId,
      line.quantity,
      line.unitPrice,
    ]);
    await tx.query(
      `INSERT INTO orders.order_lines (order_id, line_no, item_id, quantity, unit_price)
       SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::uuid[], $4::int[], $5::numeric[])`,
      [0, 1, 2, 3, 4].map((column) => lines.map((line) => line[column])),
    );
    return (await this.findById(order.id, tx))!;
  }

  findById(id: string, tx?: EntityManager): Promise<Order | null> {
    return this.manager(tx)
      .getRepository(Order)
      .findOne({ where: { id }, ...WITH_LINES });
  }

  /** Newest first; only `userId`'s orders when given, everybody's otherwise. */
  list(filter: { userId?: string }, skip: number, limit: number): Promise<Order[]> {
    return this.db.manager.getRepository(Order).find({
      where: filter.userId ? { userId: filter.userId } : {},
      relations: { lines: true },
      order: { createdAt: 'DESC', id: 'DESC', lines: { lineNo: 'ASC' } },
      skip,
      take: limit,
    });
  }

  /**
   * Optimistic concurrency: changes the status only if the order is still at
   * the version the caller read, and bumps the version.
   *
   * @returns the changed order, or `null` when someone changed it first.
   */
  async changeStatus(tx: EntityManager, change: StatusChange): Promise<Order | null> {
    const [rows] = await tx.query(
      `UPDATE orders.orders
          SET status = $3, reject_reason = $4, cancel_reason = $5, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2
       RETURNING id`,
      [
        change.id,
        change.expectedVersion,
        change.status,
        change.rejectReason ?? null,
        change.cancelReason ?? null,
      ],
    );
    return (rows as unknown[]).length === 1 ? this.findById(change.id, tx) : null;
  }

  /**
   * Cancels up to `limit` PENDING orders created before `olderThanMs` ago.
   * `SKIP LOCKED` lets several replicas run this at once without waiting on,
   * or taking, each other's rows (nor rows a saga handler is changing).
   */
  async expirePending(tx: EntityManager, olderThanMs: number, limit: number): Promise<Order[]> {
    const [rows] = await tx.query(
      `WITH due AS (
         SELECT id FROM orders.orders
          WHERE status = 'PENDING' AND created_at < now() - make_interval(secs => $1 / 1000.0)
          ORDER BY created_at
          LIMIT $2
            FOR UPDATE SKIP LOCKED
       )
       UPDATE orders.orders o
          SET status = 'CANCELLED', cancel_reason = 'expired', version = o.version + 1, updated_at = now()
         FROM due
        WHERE o.id = due.id
       RETURNING o.id`,
      [olderThanMs, limit],
    );
    const ids = (rows as { id: string }[]).map((row) => row.id);
    if (ids.length === 0) return [];
    return tx.getRepository(Order).find({ where: ids.map((id) => ({ id })), ...WITH_LINES });
  }
}
