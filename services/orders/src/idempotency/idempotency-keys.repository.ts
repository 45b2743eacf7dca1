import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Order } from '../orders/order.entity';
import { OrderLine } from '../orders/order-line.entity';

/**
 * What a live key remembers: the request it answered (as a hash) and a
 * snapshot of the order that request placed, as it was placed.
 *
 * A snapshot rather than the order id: a replay is the first answer again
 * (PENDING), and re-reading the order would give its state now (CONFIRMED,
 * CANCELLED…). The domain order rather than the HTTP body: the handler that
 * writes the record in the order's transaction stays free of HTTP, and the
 * controller maps a replayed order as it mapped the first one, so the two
 * answers are equal byte for byte.
 */
export interface IdempotencyRecord {
  requestHash: string;
  order: Order;
}

export interface NewIdempotencyKey extends IdempotencyRecord {
  userId: string;
  key: string;
}

/** An order as JSON gives it back: its dates are strings. */
type OrderSnapshot = Omit<Order, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

@Injectable()
export class IdempotencyKeysRepository {
  constructor(private readonly db: DataSource) {}

  /** The record of a key still within its retention period. */
  async findLive(userId: string, key: string, ttlMs: number): Promise<IdempotencyRecord | null> {
    const rows: { request_hash: string; response_body: OrderSnapshot }[] = await this.db.query(
      `SELECT request_hash, response_body FROM orders.idempotency_keys
        WHERE user_id = $1 AND key = $2 AND created_at >= now() - make_interval(secs => $3 / 1000.0)`,
      [userId, key, ttlMs],
    );
    return rows.length === 0
      ? null
      : { requestHash: rows[0].request_hash, order: fromSnapshot(rows[0].response_body) };
  }

  /**
   * Records the key in the order's transaction, unless a live record holds it.
   * An expired record is taken over in place. If another transaction inserted
   * the same key and has not finished, Postgres makes this statement wait for
   * it: after its commit this returns false, after its rollback the key is ours.
   * (`response_status` is always 201: only a placed order is remembered.)
   *
   * @returns whether this transaction now owns the key.
   */
  async claim(tx: EntityManager, record: NewIdempotencyKey, ttlMs: number): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO orders.idempotency_keys (user_id, key, request_hash, order_id, response_status, response_body)
       VALUES ($1, $2, $3, $4, 201, $5)
       ON CONFLICT (user_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, order_id = EXCLUDED.order_id,
              response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
              created_at = now()
        WHERE idempotency_keys.created_at < now() - make_interval(secs => $6 / 1000.0)
       RETURNING 1`,
      [record.userId, record.key, record.requestHash, record.order.id, JSON.stringify(record.order), ttlMs],
    );
    return rows.length === 1;
  }

  /** Deletes up to `limit` keys past their retention period; returns how many. */
  async purgeExpired(ttlMs: number, limit: number): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `DELETE FROM orders.idempotency_keys
        WHERE ctid IN (SELECT ctid FROM orders.idempotency_keys
                        WHERE created_at < now() - make_interval(secs => $1 / 1000.0)
                        LIMIT $2)`,
      [ttlMs, limit],
    );
    return count;
  }
}

// Records written before snapshots hold the first response's body instead: its
// fields are the snapshot's that the response shows, so they replay the same.
function fromSnapshot(snapshot: OrderSnapshot): Order {
  return Object.assign(new Order(), snapshot, {
    createdAt: new Date(snapshot.createdAt),
    updatedAt: new Date(snapshot.updatedAt),
    lines: snapshot.lines.map((line) => Object.assign(new OrderLine(), line)),
  });
}
