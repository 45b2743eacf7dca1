import type { EntityManager } from 'typeorm';

/**
 * The rows a statement returns, and how many it touched. TypeORM's plain
 * `query()` returns `[rows, count]` for UPDATE and DELETE but bare rows for
 * everything else; the structured result is the same for every statement.
 */
export async function execute<T>(
  tx: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<{ rows: T[]; affected: number }> {
  const runner = tx.queryRunner ?? tx.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return { rows: result.records as T[], affected: result.affected ?? result.records.length };
  } finally {
    if (runner !== tx.queryRunner) await runner.release();
  }
}
