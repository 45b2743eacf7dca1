import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The first response to a (caller, key), as stored for replay. */
export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

export interface NewIdempotencyKey extends StoredResponse {
  userId: string;
  key: string;
  orderId: string;
}

@Injectable()
export class IdempotencyKeysRepository {
  constructor(private readonly db: DataSource) {}

  /** The stored response for a key still within its retention period. */
  async findLive(userId: string, key: string, ttlMs: number): Promise<StoredResponse | null> {
    const rows: { request_hash: string; response_status: number; response_body: unknown }[] =
      await this.db.query(
        `SELECT request_hash, response_status, response_body FROM orders.idempotency_keys
        WHERE user_id = $1 AND key = $2 AND created_at >= now() - make_interval(secs => $3 / 1000.0)`,
        [userId, key, ttlMs],
      );
    return rows.length === 0
      ? null
      : { requestHash: rows[0].request_hash, status: rows[0].response_status, body: rows[0].response_body };
  }

  /**
   * Records the key in the order's transaction, unless a live record holds it.
   * An expired record is taken over in place. If another transaction inserted
   * the same key and has not finished, Postgres makes this statement wait for
   * it: after its commit this returns false, after its rollback the key is ours.
   *
   * @returns whether this transaction now owns the key.
   */
  async claim(tx: EntityManager, record: NewIdempotencyKey, ttlMs: number): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO orders.idempotency_keys (user_id, key, request_hash, order_id, response_status, response_body)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (user_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, order_id = EXCLUDED.order_id,
              response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
              created_at = now()
        WHERE idempotency_keys.created_at < now() - make_interval(secs => $7 / 1000.0)
       RETURNING 1`,
      [
        record.userId,
        record.key,
        record.requestHash,
        record.orderId,
        record.status,
        JSON.stringify(record.body),
        ttlMs,
      ],
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
