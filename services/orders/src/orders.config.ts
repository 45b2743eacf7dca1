import { env, loadConfig, serviceEnv } from '@shop/shared';
import { z } from 'zod';

export const ordersEnv = serviceEnv.extend({
  PORT: env.port(3003),
  RABBITMQ_URL: env.brokerUrl('orders'),
  ITEMS_URL: env.url(['http', 'https'], 'http://127.0.0.1:3002'),
  /** A PENDING order older than this is cancelled with reason `expired`. */
  ORDER_PENDING_TTL: env.duration('10m'),
  /** How often the expiry job looks for stale PENDING orders and old idempotency keys. */
  ORDER_EXPIRY_INTERVAL: env.duration('30s'),
  /** How long an Idempotency-Key is remembered (SPEC: 24 h). */
  IDEMPOTENCY_KEY_TTL: env.duration('24h'),
  /** Each call to the items service gives up after this long. */
  ITEMS_TIMEOUT: env.duration('2s'),
  /** Retries after a network error, a timeout or a 5xx (never after a 4xx). */
  ITEMS_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** First retry delay; later ones grow exponentially with jitter. */
  ITEMS_RETRY_DELAY: env.duration('100ms'),
  /** Consecutive failed calls that open the circuit breaker. */
  ITEMS_BREAKER_THRESHOLD: env.positiveInt(5),
  /**
   * How long the open breaker refuses calls before it lets the next one through
   * to test items: how often a down items is probed, and how late orders notice
   * it is back. Also the 503's Retry-After, rounded up to whole seconds.
   */
  ITEMS_BREAKER_HALF_OPEN_AFTER: env.duration('1s'),
});

export type OrdersConfig = z.infer<typeof ordersEnv>;

export const loadOrdersConfig = (source: NodeJS.ProcessEnv = process.env): OrdersConfig =>
  loadConfig(ordersEnv, source);

/** Injection token of the validated orders service config. */
export const ORDERS_CONFIG = Symbol('ORDERS_CONFIG');
