import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Order } from './order.entity';
import { LINE_COLUMNS, LineRow, ORDER_COLUMNS, OrderRow, toOrder } from './order-rows.model';
import type { OrderStatus } from './order-status.model';

export interface NewOrder {
  id: string;
  userId: string;
  total: string;
  lines: { itemId: string; quantity: number; unitPrice: string }[];
}

export interface StatusChange {
  status: OrderStatus;
  rejectReason?: string;
  cancelReason?: string;
}

const WITH_LINES = { relations: { lines: true }, order: { lines: { lineNo: 'ASC' } } } as const;

@Injectable()
export class OrdersRepository {
  constructor(private readonly db: DataSource) {}

  /** Inserts a PENDING order (version 1) and its lines; returns it as stored. */
  async insert(tx: EntityManager, order: NewOrder): Promise<Order> {
    const [row]: OrderRow[] = await tx.query(
      `INSERT INTO orders.orders (id, user_id, status, total) VALUES ($1, $2, 'PENDING', $3)
       RETURNING ${ORDER_COLUMNS}`,
      [order.id, order.userId, order.total],
    );
    const lines = order.lines.map((line, index) => [
      order.id,
      index + 1,
      line.itemId,
      line.quantity,
      line.unitPrice,
    ]);
    const stored: LineRow[] = await tx.query(
      `INSERT INTO orders.order_lines (order_id, line_no, item_id, quantity, unit_price)
       SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::uuid[], $4::int[], $5::numeric[])
       RETURNING ${LINE_COLUMNS}`,
      [0, 1, 2, 3, 4].map((column) => lines.map((line) => line[column])),
    );
    return toOrder(row, stored);
  }

  /**
   * The order with its lines, in one query (the hot path of every saga step);
   * in `tx`, or outside a transaction with the data source's manager.
   */
  async findById(tx: EntityManager, id: string): Promise<Order | null> {
    const rows: (OrderRow & LineRow)[] = await tx.query(
      `SELECT ${ORDER_COLUMNS}, ${LINE_COLUMNS}
         FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
        WHERE o.id = $1
        ORDER BY l.line_no`,
      [id],
    );
    return rows.length === 0 ? null : toOrder(rows[0], rows);
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
   * the version `current` was read at, and bumps the version.
   *
   * @returns the changed order, or `null` when someone changed it first.
   */
  async changeStatus(tx: EntityManager, current: Order, change: StatusChange): Promise<Order | null> {
    const [rows]: [OrderRow[], number] = await tx.query(
      `UPDATE orders.orders
          SET status = $3, reject_reason = $4, cancel_reason = $5, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2
       RETURNING ${ORDER_COLUMNS}`,
      [current.id, current.version, change.status, change.rejectReason ?? null, change.cancelReason ?? null],
    );
    // The lines never change after the order is placed.
    return rows.length === 1 ? toOrder(rows[0], current.lines) : null;
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
