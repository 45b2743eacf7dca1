import { Counter, Gauge, Registry } from 'prom-client';
import { EVENT_TYPES } from './contracts';

/** How a consumed message ended. */
export type ConsumeOutcome =
  | 'ok'
  | 'retried'
  | 'dead-lettered'
  | 'duplicate'
  /** No handler for the type here (a binding left from an older version): acknowledged and dropped. */
  | 'ignored'
  /** Neither retried nor dead-lettered (e.g. the retry copy could not be published): back to the queue. */
  | 'requeued';

/**
 * The event bus's Prometheus metrics, registered on the application's own
 * registry (`HttpMetrics.registry`).
 */
export class EventBusMetrics {
  /** Publishes by event type and outcome: ok, invalid, unroutable, refused, nacked, timeout, … */
  readonly published: Counter<'type' | 'outcome'>;
  /** Consumed messages by event type and {@link ConsumeOutcome}. */
  readonly consumed: Counter<'type' | 'outcome'>;
  /** Outbox rows not yet published: grows while the broker is away. */
  readonly outboxBacklog: Gauge;
  /** Age of the oldest unpublished outbox row; 0 when the outbox is empty. */
  readonly outboxOldestAge: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.published = new Counter({
      name: 'events_published_total',
      help: 'Events published to RabbitMQ, by type and outcome',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.consumed = new Counter({
      name: 'events_consumed_total',
      help: 'Events consumed from RabbitMQ, by type and outcome',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.outboxBacklog = new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox events not yet published',
      registers,
    });
    this.outboxOldestAge = new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox event not yet published',
      registers,
    });
  }
}

/** A `type` label that cannot explode: anything but a known event type becomes `unknown`. */
export function typeLabel(type: unknown): string {
  return typeof type === 'string' && (EVENT_TYPES as string[]).includes(type) ? type : 'unknown';
}
