import { Injectable } from '@nestjs/common';
import { HttpMetrics } from '@shop/shared';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Order } from './order.entity';

/**
 * The business metrics of the saga, on the app's own registry (recorded after
 * the change commits), and the state of the breaker in front of items.
 */
@Injectable()
export class OrdersMetrics {
  private readonly placed: Counter;
  private readonly confirmed: Counter;
  private readonly rejected: Counter;
  private readonly cancelled: Counter<'reason'>;
  private readonly timeToDecision: Histogram<'outcome'>;
  private readonly breakerOpen: Gauge<'dependency'>;

  constructor(metrics: HttpMetrics) {
    const registers = [metrics.registry];
    this.placed = new Counter({ name: 'orders_placed_total', help: 'Orders placed', registers });
    this.confirmed = new Counter({ name: 'orders_confirmed_total', help: 'Orders confirmed', registers });
    this.rejected = new Counter({ name: 'orders_rejected_total', help: 'Orders rejected', registers });
    this.cancelled = new Counter({
      name: 'orders_cancelled_total',
      help: 'Orders cancelled, by reason (customer, admin, expired)',
      labelNames: ['reason'],
      registers,
    });
    this.timeToDecision = new Histogram({
      name: 'order_time_to_confirm_seconds',
      help: 'Time from placing an order to its confirmation or rejection',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    // Read by the CircuitBreakerOpen alert (monitoring/alerts.rules.yml).
    this.breakerOpen = new Gauge({
      name: 'circuit_breaker_open',
      help: 'Whether the circuit breaker to a dependency is open (1) or not (0; half-open counts as not)',
      labelNames: ['dependency'],
      registers,
    });
  }

  /** Records whether the breaker in front of `dependency` now refuses calls. */
  breakerChanged(dependency: 'items', open: boolean): void {
    this.breakerOpen.set({ dependency }, open ? 1 : 0);
  }

  orderPlaced(): void {
    this.placed.inc();
  }

  /** Counts an order that has just changed status. */
  statusChanged(order: Order): void {
    switch (order.status) {
      case 'CONFIRMED':
      case 'REJECTED': {
        (order.status === 'CONFIRMED' ? this.confirmed : this.rejected).inc();
        const seconds = (order.updatedAt.getTime() - order.createdAt.getTime()) / 1000;
        this.timeToDecision.observe({ outcome: order.status.toLowerCase() }, Math.max(seconds, 0));
        return;
      }
      case 'CANCELLED':
        this.cancelled.inc({ reason: order.cancelReason ?? 'unknown' });
        return;
    }
  }
}
