import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'undici';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
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
import { formatCents, parseCents } from '../orders/money';
import { itemsAnsweredBadly, ItemsUnavailableError } from '../orders/orders.errors';
import type { OrdersConfig } from '../orders.config';
import { ORDERS_CONFIG } from '../orders.config.token';

/** Who is asking: items checks the caller's own token, and logs the request id. */
export interface Caller {
  token: string;
  requestId: string;
}

/** Failures worth another try, and that count towards opening the breaker. */
class ItemsServerError extends Error {}
class ItemsNetworkError extends Error {}
/** Answers that another try would not change (401, 403, an unexpected body). */
class ItemsRefusedError extends Error {}

const isTransient = (error: unknown) =>
  error instanceof TaskCancelledError ||
  error instanceof ItemsNetworkError ||
  error instanceof ItemsServerError;

/**
 * Reads item prices from the items service over REST, on the caller's behalf.
 * Each call has a timeout; network errors, timeouts and 5xx are retried with
 * exponential backoff and count towards one circuit breaker shared by every
 * request of this process, so a failing items service is left alone (and
 * callers get a fast 503) until a trial call after the half-open delay
 * succeeds. A 4xx is an answer, never retried.
 *
 * Calls go through one undici pool of keep-alive connections to items:
 * a price lookup is on the path of every order, and undici's own `request`
 * costs a fraction of the CPU of `fetch` (no WHATWG streams).
 */
@Injectable()
export class ItemsClient implements OnApplicationShutdown {
  private readonly logger = new Logger(ItemsClient.name);
  private readonly items: Pool;
  /** Any path prefix of ITEMS_URL (behind a proxy, say). */
  private readonly basePath: string;
  private readonly policy: IPolicy;
  private readonly breaker;
  private readonly retryAfterSeconds: number;

  constructor(@Inject(ORDERS_CONFIG) config: OrdersConfig) {
    const itemsUrl = new URL(config.ITEMS_URL);
    this.items = new Pool(itemsUrl.origin, { connections: 32 });
    this.basePath = itemsUrl.pathname.replace(/\/+$/, '');
    this.retryAfterSeconds = Math.max(1, Math.ceil(config.ITEMS_BREAKER_HALF_OPEN_AFTER / 1000));
    const transient = handleWhen(isTransient);
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: config.ITEMS_BREAKER_HALF_OPEN_AFTER,
      breaker: new ConsecutiveBreaker(config.ITEMS_BREAKER_THRESHOLD),
    });
    this.breaker.onBreak(() => this.logger.warn('items circuit breaker opened'));
    this.breaker.onReset(() => this.logger.log('items circuit breaker closed'));
    const retries = retry(transient, {
      maxAttempts: config.ITEMS_RETRIES,
      backoff: new ExponentialBackoff({ initialDelay: config.ITEMS_RETRY_DELAY, maxDelay: 2_000 }),
    });
    // Outermost first: each retry goes through the breaker, each call has its own timeout.
    // A call returns only once its body is read, so there is nothing to abort after it.
    const perCall = timeout(config.ITEMS_TIMEOUT, {
      strategy: TimeoutStrategy.Aggressive,
      abortOnReturn: false,
    });
    this.policy = wrap(retries, this.breaker, perCall);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.items.close();
  }

  get breakerState(): CircuitState {
    return this.breaker.state;
  }

  /**
   * The current price of an item ("12.50"), or `null` if items does not know it.
   *
   * @throws {ItemsUnavailableError} items is down, too slow, failing, or the breaker is open.
   * @throws the 503 `ORDER.ITEMS_ERROR` when items answers in a way we cannot use.
   */
  async priceOf(itemId: string, caller: Caller): Promise<string | null> {
    try {
      return await this.policy.execute(({ signal }) => this.fetchPrice(itemId, caller, signal));
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new ItemsUnavailableError(
          'The items service is unavailable; try again later.',
          this.retryAfterSeconds,
        );
      }
      if (isTransient(error)) {
        this.logger.warn({ err: error, itemId }, 'items call failed after retries');
        throw new ItemsUnavailableError('The items service did not answer in time.', this.retryAfterSeconds);
      }
      if (error instanceof ItemsRefusedError) {
        this.logger.error({ itemId, reason: error.message }, 'items answered a price request unusably');
        throw itemsAnsweredBadly();
      }
      throw error;
    }
  }

  private async fetchPrice(itemId: string, caller: Caller, signal: AbortSignal): Promise<string | null> {
    let body: unknown;
    try {
      const response = await this.items.request({
        method: 'GET',
        path: `${this.basePath}/api/v1/items/${encodeURIComponent(itemId)}`,
        headers: {
          authorization: `Bearer ${caller.token}`,
          'x-request-id': caller.requestId,
          accept: 'application/json',
        },
        signal,
      });
      const { statusCode } = response;
      if (statusCode < 200 || statusCode > 299) {
        await response.body.dump();
        if (statusCode === 404) return null;
        if (statusCode >= 500) throw new ItemsServerError(`items answered ${statusCode}`);
        throw new ItemsRefusedError(`items answered ${statusCode}`);
      }
      body = await response.body.json();
    } catch (error) {
      if (error instanceof ItemsServerError || error instanceof ItemsRefusedError) throw error;
      if (error instanceof SyntaxError) throw new ItemsRefusedError('items sent a body that is not JSON');
      throw new ItemsNetworkError('items could not be reached', { cause: error });
    }
    const cents = parseCents((body as { price?: unknown } | null)?.price);
    if (cents === undefined) throw new ItemsRefusedError('items sent an item without a valid price');
    return formatCents(cents);
  }
}
