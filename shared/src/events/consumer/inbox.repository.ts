import type { DataSource, EntityManager } from 'typeorm';

/** `<schema>.inbox`: which consumer has handled which event. */
export class InboxRepository {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `${schema}.inbox`;
  }

  /**
   * Records in transaction `tx` that `consumer` handles `eventId`; false when
   * it already has. A concurrent delivery of the same event waits on the
   * primary key until the first transaction ends, then sees its row, so the
   * effect happens once even when two copies arrive together.
   */
  async recordHandled(tx: EntityManager, eventId: string, consumer: string): Promise<boolean> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO ${this.table} (event_id, consumer) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [eventId, consumer],
    );
    return inserted.length === 1;
  }

  /** Deletes rows handled more than `retentionMs` ago, a bounded batch at a time. */
  async deleteHandledBefore(db: DataSource, retentionMs: number, batchSize = 1000): Promise<number> {
    let deleted = 0;
    for (;;) {
      const runner = db.createQueryRunner();
      try {
        const { records } = await runner.query(
          `DELETE FROM ${this.table}
            WHERE (event_id, consumer) IN (SELECT event_id, consumer FROM ${this.table}
                                            WHERE handled_at < now() - make_interval(secs => $1 / 1000.0)
                                            LIMIT $2)
        RETURNING event_id`,
          [retentionMs, batchSize],
          true,
        );
        deleted += records.length;
        if (records.length < batchSize) return deleted;
      } finally {
        await runner.release();
      }
    }
  }
}
