import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Order } from './order.entity';
import { LINE_COLUMNS, LineRow, ORDER_COLUMNS, OrderRow, toOrder, toOrders } from './order-rows.model';
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

@Injectable()
export class OrdersRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts a PENDING order (version 1) and its lines in one statement (one
   * round trip on the saga's hot path; the lines' foreign key is checked at
   * the statement's end, when the order is there); returns it as stored.
   */
  async insert(tx: EntityManager, order: NewOrder): Promise<Order> {
    const column = <K extends keyof NewOrder['lines'][number]>(key: K) =>
      order.lines.map((line) => line[key]);
    const rows: (OrderRow & LineRow)[] = await tx.query(
      `WITH o AS (
         INSERT INTO orders.orders (id, user_id, status, total) VALUES ($1, $2, 'PENDING', $3)
         RETURNING ${ORDER_COLUMNS}
       ), l AS (
         INSERT INTO orders.order_lines (order_id, line_no, item_id, quantity, unit_price)
         SELECT $1, line_no, item_id, quantity, unit_price
           FROM unnest($4::uuid[], $5::int[], $6::numeric[]) WITH ORDINALITY
                AS line (item_id, quantity, unit_price, line_no)
         RETURNING ${LINE_COLUMNS}
       )
       SELECT o.*, l.* FROM o CROSS JOIN l ORDER BY l.line_no`,
      [order.id, order.userId, order.total, column('itemId'), column('quantity'), column('unitPrice')],
    );
    return toOrder(rows[0], rows);
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

  /**
   * A page of orders, newest first, each with all its lines, in one query.
   * `skip` and `limit` count orders: the page is cut from the orders alone,
   * then joined to its lines. (created_at DESC, id) is a total order, so pages
   * neither repeat nor pass over an order, and it is the order of the index
   * each filter reads.
   */
  async list(filter: { userId?: string }, skip: number, limit: number): Promise<Order[]> {
    const own = filter.userId !== undefined;
    const rows: (OrderRow & LineRow)[] = await this.db.query(
      `WITH page AS (
         SELECT ${ORDER_COLUMNS} FROM orders.orders
          ${own ? 'WHERE user_id = $3' : ''}
          ORDER BY created_at DESC, id
         OFFSET $1 LIMIT $2
       )
       SELECT page.*, ${LINE_COLUMNS}
         FROM page JOIN orders.order_lines l ON l.order_id = page.id
        ORDER BY page.created_at DESC, page.id, l.line_no`,
      own ? [skip, limit, filter.userId] : [skip, limit],
    );
    return toOrders(rows);
  }

  /**
   * Changes the status if the order is in one of `from`, bumps its version,
   * and reads it back with its lines, in one statement. Under READ COMMITTED
   * an UPDATE that finds the row being changed waits for that transaction and
   * checks `from` again on the row it left, so of two racing changes each
   * applies to the order as the other left it, or not at all.
   *
   * @returns the changed order, or `null` if there is no such order in `from`.
   */
  async changeStatus(
    tx: EntityManager,
    id: string,
    from: readonly OrderStatus[],
    change: StatusChange,
  ): Promise<Order | null> {
    const rows: (OrderRow & LineRow)[] = await tx.query(
      `WITH changed AS (
         UPDATE orders.orders
            SET status = $3, reject_reason = $4, cancel_reason = $5, version = version + 1, updated_at = now()
          WHERE id = $1 AND status = ANY($2::text[])
         RETURNING ${ORDER_COLUMNS}
       )
       SELECT changed.*, ${LINE_COLUMNS}
         FROM changed JOIN orders.order_lines l ON l.order_id = changed.id
        ORDER BY l.line_no`,
      [id, from, change.status, change.rejectReason ?? null, change.cancelReason ?? null],
    );
    return rows.length === 0 ? null : toOrder(rows[0], rows);
  }

  /**
   * Cancels up to `limit` PENDING orders created before `olderThanMs` ago.
   * `SKIP LOCKED` lets several replicas run this at once without waiting on,
   * or taking, each other's rows (nor rows a saga handler is changing).
   */
  async expirePending(tx: EntityManager, olderThanMs: number, limit: number): Promise<Order[]> {
    // One statement: pick, cancel, and read the cancelled orders back with their lines.
    const rows: (OrderRow & LineRow)[] = await tx.query(
      `WITH due AS (
         SELECT id FROM orders.orders
          WHERE status = 'PENDING' AND created_at < now() - make_interval(secs => $1 / 1000.0)
          ORDER BY created_at
          LIMIT $2
            FOR UPDATE SKIP LOCKED
       ), cancelled AS (
         UPDATE orders.orders o
            SET status = 'CANCELLED', cancel_reason = 'expired', version = o.version + 1, updated_at = now()
           FROM due
          WHERE o.id = due.id
         RETURNING o.*
       )
       SELECT cancelled.*, ${LINE_COLUMNS}
         FROM cancelled JOIN orders.order_lines l ON l.order_id = cancelled.id
        ORDER BY cancelled.id, l.line_no`,
      [olderThanMs, limit],
    );
    return toOrders(rows);
  }
}
