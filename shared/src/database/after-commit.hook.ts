import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

type Callback = () => void;

/** What a transaction's query runner holds: callbacks with the savepoint depth they were added at. */
const PENDING = Symbol('afterCommit');
type Pending = { depth: number; callback: Callback }[];
type RunnerData = { [PENDING]?: Pending };

/** TypeORM counts nested transactions (savepoints) but keeps the count protected. */
const depthOf = (runner: QueryRunner): number =>
  (runner as unknown as { transactionDepth: number }).transactionDepth;

const watched = new WeakSet<DataSource>();

/**
 * Runs `callback` once the transaction `tx` belongs to has committed — the
 * outermost one, not a savepoint — and never if it rolls back (a nested
 * `tx.transaction()` that rolls back drops the callbacks added inside it).
 * Callbacks run synchronously in the order they were added; they must not
 * throw and should only start work (a publish), not wait for it.
 *
 * Savepoints written as raw SQL (`tx.query('SAVEPOINT …')`) are invisible to
 * TypeORM: do not add a callback inside one that may be rolled back.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await tx.query('INSERT …');
 *   afterCommit(tx, () => relay.dispatch(event));
 * });
 */
export function afterCommit(tx: EntityManager, callback: Callback): void {
  const runner = tx.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('afterCommit needs the EntityManager of a transaction');
  watch(runner.connection);
  const data = runner.data as RunnerData;
  (data[PENDING] ??= []).push({ depth: depthOf(runner), callback });
}

function watch(db: DataSource): void {
  if (watched.has(db)) return;
  watched.add(db);
  db.subscribers.push(new AfterCommitSubscriber());
}

/** The DataSource's hook into every transaction's end. */
class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (!queryRunner.isTransactionActive) {
      for (const { callback } of take(queryRunner)) callback();
      return;
    }
    // A savepoint released: what was added inside it now stands or falls with the enclosing level.
    const depth = depthOf(queryRunner);
    for (const pending of (queryRunner.data as RunnerData)[PENDING] ?? []) {
      pending.depth = Math.min(pending.depth, depth);
    }
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) return void take(queryRunner);
    // Rolled back to a savepoint: what was added inside it is gone with it.
    const data = queryRunner.data as RunnerData;
    const depth = depthOf(queryRunner);
    data[PENDING] = data[PENDING]?.filter((pending) => pending.depth <= depth);
  }
}

function take(runner: QueryRunner): Pending {
  const data = runner.data as RunnerData;
  const pending = data[PENDING] ?? [];
  delete data[PENDING];
  return pending;
}
