import type { BusLogger } from '../bus-logger.factory';
import type { EventBusMetrics } from '../event-bus.metrics';
import type { RetryDelay } from './claimed-events.service';
import type { Retention } from './event-tables.service';

export interface OutboxRelayOptions {
  /** The schema holding `outbox` (and `inbox`, pruned here too). */
  schema: string;
  /** The safety net for a missed NOTIFY (listener reconnecting, rows written by hand). Default 5 s. */
  pollIntervalMs?: number;
  /** Rows claimed and published at once. Default 100. */
  batchSize?: number;
  /**
   * How long a claim lasts: longer than publishing a batch can take (the
   * publisher's confirm timeout), short enough to resend a dead relay's rows
   * soon. Default 30 s.
   */
  leaseMs?: number;
  /** Backoff of an event whose publish failed: doubles from `initialMs` up to `maxMs`. Default 1 s … 60 s. */
  retryDelay?: RetryDelay;
  /**
   * Published outbox rows are kept for `outboxMs` (default 7 days): they show
   * what was sent and when, and one can be re-sent by clearing its
   * `published_at`. Inbox rows are kept for `inboxMs` (default 30 days), far
   * longer than any redelivery (a lease expiry, a DLQ replay) could take.
   */
  retention?: Partial<Retention>;
  /** How often old rows are pruned. Default 1 h. */
  housekeepingIntervalMs?: number;
  metrics?: EventBusMetrics;
  logger?: BusLogger;
}
