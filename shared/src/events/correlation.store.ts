import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

/**
 * Runs `work` with a correlation id that events written inside it inherit:
 * the consumer runs every handler in the id of the event it handles, so a
 * whole saga shares the id of the request that started it.
 */
export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run(correlationId, work);
}

/** The correlation id of the request or event being handled, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}
