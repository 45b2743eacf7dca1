import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxService } from '@shop/shared';
import { IdempotencyKeysRepository } from '../idempotency/idempotency-keys.repository';
import type { Order } from '../orders/order.entity';
import { orderEvents } from '../events/orders.events';
import { OrdersMetrics } from '../orders/orders.metrics';
import { OrdersRepository } from '../orders/orders.repository';
import { ORDERS_CONFIG, type OrdersConfig } from '../orders.config';

const ORDER_BATCH = 100;
const KEY_BATCH = 1000;
// Bounds one run; whatever is left waits for the next tick.
const MAX_BATCHES = 20;

/**
 * The scheduled job: cancels PENDING orders older than ORDER_PENDING_TTL with
 * reason `expired` (their `order.cancelled` makes inventory give back anything
 * it holds for them) and deletes idempotency keys past their 24 h.
 *
 * Every replica runs it. Batches lock their rows with `SKIP LOCKED`, so
 * replicas split the work instead of waiting on or repeating each other, and
 * the version bump makes a concurrent saga event or customer cancel re-read
 * the order and find it CANCELLED.
 */
@Injectable()
export class OrderExpiryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OrderExpiryService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly db: DataSource,
    private readonly orders: OrdersRepository,
    private readonly keys: IdempotencyKeysRepository,
    private readonly outbox: OutboxService,
    private readonly metrics: OrdersMetrics,
    @Inject(ORDERS_CONFIG)
    private readonly config: Pick<
      OrdersConfig,
      'ORDER_PENDING_TTL' | 'ORDER_EXPIRY_INTERVAL' | 'IDEMPOTENCY_KEY_TTL'
    >,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.ORDER_EXPIRY_INTERVAL);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass, unless the previous one is still going. */
  private tick(): void {
    if (this.running) return;
    this.running = this.runOnce()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, 'order expiry run failed'))
      .finally(() => (this.running = undefined));
  }

  /** Expires what is due and purges old keys; returns how many of each. */
  async runOnce(): Promise<{ expired: number; purged: number }> {
    const correlationId = `expiry-${randomUUID()}`;
    let expired = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const cancelled = await this.expireBatch(correlationId);
      cancelled.forEach((order) => this.metrics.statusChanged(order));
      expired += cancelled.length;
      if (cancelled.length < ORDER_BATCH) break;
    }
    let purged = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const deleted = await this.keys.purgeExpired(this.config.IDEMPOTENCY_KEY_TTL, KEY_BATCH);
      purged += deleted;
      if (deleted < KEY_BATCH) break;
    }
    if (expired > 0 || purged > 0) this.logger.log({ expired, purged, correlationId }, 'order expiry run');
    return { expired, purged };
  }

  // PENDING → CANCELLED is a transition the state machine allows (order-status.model.ts);
  // the batch UPDATE applies it to many rows at once instead of one by one.
  private expireBatch(correlationId: string): Promise<Order[]> {
    return this.db.transaction(async (tx) => {
      const cancelled = await this.orders.expirePending(tx, this.config.ORDER_PENDING_TTL, ORDER_BATCH);
      for (const order of cancelled) await this.outbox.add(tx, orderEvents.cancelled(order, correlationId));
      return cancelled;
    });
  }
}
