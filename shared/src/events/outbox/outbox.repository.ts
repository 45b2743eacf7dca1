import type { DataSource } from 'typeorm';
import type { ShopEvent } from '../contracts';
import type { TraceCarrier } from '../../tracing/trace-context.service';
import { TRACE_CONTEXT_KEY } from './outbox.service';

/** An outbox row a relay has claimed. */
export interface ClaimedEvent {
  id: string;
  event: ShopEvent;
  /** Including this one. */
  attempts: number;
  /** The trace context the event was written in, when tracing was on. */
  traceContext?: TraceCarrier;
}

export interface OutboxBacklog {
  count: number;
  oldestAgeSeconds: number;
}

/**
 * The relay's queries on `<schema>.outbox`. Rows are claimed with a lease
 * (`claimed_until`), never with a "last id sent" watermark: transactions
 * commit out of id and time order, so a watermark skips rows, while a lease
 * only ever delays them.
 */
export class OutboxRepository {
  private readonly table: string;

  constructor(
    private readonly db: DataSource,
    schema: string,
  ) {
    this.table = `${schema}.outbox`;
  }

  /**
   * Claims up to `limit` unpublished rows, oldest first, for `leaseMs`.
   * SKIP LOCKED lets relays of several replicas claim disjoint batches at once
   * without waiting on each other.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedEvent[]> {
    const rows = await this.rows<{
      id: string;
      payload: ShopEvent;
      trace_context: TraceCarrier | null;
      attempts: number;
      created_at: Date;
    }>(
      `UPDATE ${this.table}
          SET claimed_until = now() + make_interval(secs => $2 / 1000.0), attempts = attempts + 1
        WHERE id IN (SELECT id FROM ${this.table}
                      WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                      ORDER BY created_at
                      LIMIT $1
                      FOR UPDATE SKIP LOCKED)
    RETURNING id, payload - '${TRACE_CONTEXT_KEY}' AS payload, payload -> '${TRACE_CONTEXT_KEY}' AS trace_context,
              attempts, created_at`,
      [limit, leaseMs],
    );
    // RETURNING keeps no order; publish in commit-time order as far as we can.
    rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    return rows.map((row) => ({
      id: row.id,
      event: row.payload,
      attempts: row.attempts,
      ...(row.trace_context ? { traceContext: row.trace_context } : {}),
    }));
  }

  async markPublished(ids: string[]): Promise<void> {
    await this.rows(
      `UPDATE ${this.table} SET published_at = now(), claimed_until = NULL, last_error = NULL
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Records why a publish failed and holds the row back for `retryInMs`. */
  async markFailed(id: string, error: string, retryInMs: number): Promise<void> {
    await this.rows(
      `UPDATE ${this.table}
          SET last_error = left($2, 1000), claimed_until = now() + make_interval(secs => $3 / 1000.0)
        WHERE id = $1`,
      [id, error, retryInMs],
    );
  }

  /** Gives claimed rows back at once (the broker went away; their turn comes at the reconnect). */
  async release(ids: string[]): Promise<void> {
    await this.rows(`UPDATE ${this.table} SET claimed_until = NULL WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.rows<{ count: string; oldest: number | null }>(
      `SELECT count(*) AS count, extract(epoch FROM now() - min(created_at))::float8 AS oldest
         FROM ${this.table} WHERE published_at IS NULL`,
    );
    return { count: Number(row.count), oldestAgeSeconds: Math.max(0, row.oldest ?? 0) };
  }

  /** Deletes published rows older than `retentionMs`, a bounded batch at a time. */
  async deletePublishedBefore(retentionMs: number, batchSize = 1000): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows = await this.rows(
        `DELETE FROM ${this.table}
          WHERE id IN (SELECT id FROM ${this.table}
                        WHERE published_at < now() - make_interval(secs => $1 / 1000.0)
                        LIMIT $2)
      RETURNING id`,
        [retentionMs, batchSize],
      );
      deleted += rows.length;
      if (rows.length < batchSize) return deleted;
    }
  }

  // A query runner's structured result has the same shape for every statement
  // (DataSource.query returns [rows, count] for UPDATE and DELETE only).
  private async rows<T = unknown>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const runner = this.db.createQueryRunner();
    try {
      return (await runner.query(sql, parameters, true)).records as T[];
    } finally {
      await runner.release();
    }
  }
}
