import {
  circuitBreaker,
  CircuitBreakerPolicy,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  IPolicy,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import type { OrdersConfig } from '../orders.config';
import { ItemsNetworkError, ItemsServerError } from './items-call.errors';

export const isTransient = (error: unknown) =>
  error instanceof TaskCancelledError ||
  error instanceof ItemsNetworkError ||
  error instanceof ItemsServerError;

export type ItemsCallConfig = Pick<
  OrdersConfig,
  | 'ITEMS_TIMEOUT'
  | 'ITEMS_RETRIES'
  | 'ITEMS_RETRY_DELAY'
  | 'ITEMS_BREAKER_THRESHOLD'
  | 'ITEMS_BREAKER_HALF_OPEN_AFTER'
>;

/**
 * How every call to items is made: each call has its own timeout; network
 * errors, timeouts and 5xx are retried with exponential backoff, and count
 * towards one circuit breaker shared by every request of this process. A 4xx
 * is an answer, never retried.
 */
export function itemsCallPolicy(config: ItemsCallConfig): { policy: IPolicy; breaker: CircuitBreakerPolicy } {
  const transient = handleWhen(isTransient);
  // A constant delay (1 s by default), not a growing one: while items is down the first
  // call after each delay is the one probe, so items is tried at most once per delay
  // however long it stays down, and orders are accepted again at most one delay after
  // it is back, which is what the 503's Retry-After tells clients. A backoff growing
  // towards the same cap would only probe more often during the first second.
  const breaker = circuitBreaker(transient, {
    halfOpenAfter: config.ITEMS_BREAKER_HALF_OPEN_AFTER,
    breaker: new ConsecutiveBreaker(config.ITEMS_BREAKER_THRESHOLD),
  });
  const retries = retry(transient, {
    maxAttempts: config.ITEMS_RETRIES,
    backoff: new ExponentialBackoff({ initialDelay: config.ITEMS_RETRY_DELAY, maxDelay: 2_000 }),
  });
  // A call returns only once its body is read, so there is nothing to abort after it.
  const perCall = timeout(config.ITEMS_TIMEOUT, {
    strategy: TimeoutStrategy.Aggressive,
    abortOnReturn: false,
  });
  // Outermost first: each retry goes through the breaker, each call has its own timeout.
  return { policy: wrap(retries, breaker, perCall), breaker };
}
