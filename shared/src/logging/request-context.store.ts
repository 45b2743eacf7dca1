import { AsyncLocalStorage } from 'node:async_hooks';

const requestIds = new AsyncLocalStorage<string>();

/**
 * Runs `work` as part of handling request `requestId`: every line logged
 * inside it, however many awaits later, carries that `requestId`.
 */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return requestIds.run(requestId, work);
}

/** The fields a log line gets from the request being handled: `{ requestId }`, or none outside a request. */
export function requestLogFields(): { requestId?: string } {
  const requestId = requestIds.getStore();
  return requestId === undefined ? {} : { requestId };
}
