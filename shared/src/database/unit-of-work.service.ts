import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** One unit's transaction, begun on first use. */
interface Unit {
  begun?: Promise<QueryRunner>;
}

/**
 * A unit of work per request, the counterpart of FastAPI's `get_db`
 * dependency with `yield`: everything a request writes through `manager()`
 * commits when its handler returns and rolls back when it throws.
 *
 * The unit follows the request through `await`s in an AsyncLocalStorage
 * rather than a request-scoped provider, which would build the handler's
 * whole provider chain again for every request. Its transaction begins
 * lazily, at the first `manager()`: a request that answers from a cache or
 * calls another service first holds no connection while it waits.
 *
 * @example
 * // controller:  @Post() @UnitOfWork() place(...) { return this.handler.execute(...) }
 * // handler:     const tx = await this.unitOfWork.manager(); await this.orders.insert(tx, ...)
 */
@Injectable()
export class UnitOfWorkService {
  private readonly units = new AsyncLocalStorage<Unit>();

  constructor(private readonly db: DataSource) {}

  /** Runs `work` as one unit: commits what it wrote if it resolves, rolls it back if it rejects. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const unit: Unit = {};
    try {
      const result = await this.units.run(unit, work);
      await this.end(unit, 'commit');
      return result;
    } catch (error) {
      await this.end(unit, 'rollback');
      throw error;
    }
  }

  /** The unit's transaction, begun now if this is its first use. */
  async manager(): Promise<EntityManager> {
    const unit = this.units.getStore();
    if (!unit)
      throw new Error('UnitOfWorkService.manager() outside a unit of work: mark the handler @UnitOfWork()');
    unit.begun ??= this.begin();
    return (await unit.begun).manager;
  }

  /**
   * Discards what the unit has written so far, like a session's `rollback()`;
   * the next `manager()` begins a new transaction. For a handler that finds,
   * part-way, that another request has already done its work.
   */
  async rollback(): Promise<void> {
    const unit = this.units.getStore();
    if (unit) await this.end(unit, 'rollback');
  }

  private async begin(): Promise<QueryRunner> {
    const runner = this.db.createQueryRunner();
    try {
      await runner.startTransaction();
      return runner;
    } catch (error) {
      await runner.release();
      throw error;
    }
  }

  private async end(unit: Unit, outcome: 'commit' | 'rollback'): Promise<void> {
    const begun = unit.begun;
    unit.begun = undefined;
    // A transaction that failed to begin has already failed the work that asked for it.
    const runner = await begun?.catch(() => undefined);
    if (!runner) return;
    try {
      if (outcome === 'commit') await runner.commitTransaction();
      else await rollbackQuietly(runner);
    } catch (error) {
      await rollbackQuietly(runner);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/** Rolls back, keeping quiet if the connection is gone: the error that led here is the one to report. */
async function rollbackQuietly(runner: QueryRunner): Promise<void> {
  if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
}
