import type { DataSource } from 'typeorm';
import { AmqpConnection } from '../amqp-connection';
import { BusLogger, busLogger } from '../bus.logger';
import { EventBusError } from '../event-bus.errors';
import { EventBusMetrics } from '../event-bus.metrics';
import { EventPublisher } from '../event.publisher';
import { InboxRepository } from '../consumer/inbox.repository';
import { ClaimedEvent, OutboxRepository } from './outbox.repository';
import { OutboxListener } from './outbox.listener';
import { PublishedMarks } from './published-marks';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Batches of one round in flight at once. */
const PIPELINE_DEPTH = 2;

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
  retryDelay?: { initialMs: number; maxMs: number };
  /**
   * Published outbox rows are kept for `outboxMs` (default 7 days): they show
   * what was sent and when, and one can be re-sent by clearing its
   * `published_at`. Inbox rows are kept for `inboxMs` (default 30 days), far
   * longer than any redelivery (a lease expiry, a DLQ replay) could take.
   */
  retention?: { outboxMs?: number; inboxMs?: number };
  /** How often old rows are pruned. Default 1 h. */
  housekeepingIntervalMs?: number;
  metrics?: EventBusMetrics;
  logger?: BusLogger;
}

/**
 * Publishes the outbox, by two roads:
 *
 * - **Dispatch**, the fast one: a service's own `OutboxService` writes each
 *   row already claimed for this relay and, once the transaction commits,
 *   hands the event over (`dispatch`); it is published at once, with no
 *   wake-up and no claim query in between.
 * - **Rounds**, the safety net: the relay LISTENs for the NOTIFY that a
 *   writer without a relay sends on commit, and polls every few seconds. Each
 *   round claims a batch of unpublished rows whose lease is free or has
 *   expired (see `OutboxRepository.claim`) and publishes them.
 *
 * Either way events are published with confirms and then marked published
 * (marks that arrive together share one UPDATE). A process that dies after
 * a commit, or between publishing and marking, leaves rows that some relay
 * claims and sends again once their lease expires; consumers absorb the
 * copy through their inbox. At least once, never lost, never skipped.
 */
export class OutboxRelay {
  private readonly outbox: OutboxRepository;
  private readonly inbox: InboxRepository;
  private readonly logger: BusLogger;
  private readonly settings: Required<Omit<OutboxRelayOptions, 'metrics' | 'logger' | 'retention'>> & {
    retention: { outboxMs: number; inboxMs: number };
  };
  private readonly listener: OutboxListener;
  private readonly marks: PublishedMarks;
  private readonly dispatching = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<void>;
  private again = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly publisher: EventPublisher,
    private readonly connection: AmqpConnection,
    private readonly options: OutboxRelayOptions,
  ) {
    this.outbox = new OutboxRepository(db, options.schema);
    this.inbox = new InboxRepository(options.schema);
    this.logger = busLogger(`OutboxRelay:${options.schema}`, options.logger);
    this.settings = {
      schema: options.schema,
      pollIntervalMs: options.pollIntervalMs ?? 5_000,
      batchSize: options.batchSize ?? 100,
      leaseMs: options.leaseMs ?? 30_000,
      retryDelay: options.retryDelay ?? { initialMs: 1_000, maxMs: 60_000 },
      housekeepingIntervalMs: options.housekeepingIntervalMs ?? 60 * 60 * 1000,
      retention: { outboxMs: 7 * DAY_MS, inboxMs: 30 * DAY_MS, ...options.retention },
    };
    this.marks = new PublishedMarks((ids) => this.outbox.markPublished(ids));
    const { schema, pollIntervalMs } = this.settings;
    this.listener = new OutboxListener(db, schema, () => this.wake(), pollIntervalMs, this.logger);
  }

  /** Starts listening, polling and pruning; publishes whatever is already waiting. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.connection.on('connected', () => this.wake());
    const poll = () => {
      this.wake();
      void this.reportBacklog();
    };
    this.timers.push(setInterval(poll, this.settings.pollIntervalMs).unref());
    this.timers.push(setInterval(() => void this.prune(), this.settings.housekeepingIntervalMs).unref());
    void this.listener.start(); // calls wake() once it listens
    poll();
  }

  /** How long a row written for `dispatch` stays claimed for this relay. */
  get leaseMs(): number {
    return this.settings.leaseMs;
  }

  /**
   * Publishes rows that a writer of this process committed already claimed
   * (see `OutboxService`), without waiting for a round. Returns at once.
   * Stopped or without a broker, it gives the rows back instead, so the
   * next round (after the reconnect, or in the next process) takes them.
   */
  dispatch(rows: ClaimedEvent[]): void {
    const sending =
      this.stopped || !this.connection.isConnected()
        ? this.outbox.release(rows.map(({ id }) => id))
        : this.publishClaimed(rows);
    const tracked = sending
      .catch((error: Error) => this.logger.warn(`Dispatching from the outbox failed: ${error.message}`))
      .finally(() => this.dispatching.delete(tracked));
    this.dispatching.add(tracked);
  }

  /** Stops taking new work and waits for the round and the dispatches in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
    await this.listener.stop();
    await Promise.all([this.running, ...this.dispatching]);
    await this.marks.settled();
  }

  /** Publishes every claimable row now, one batch after another; rounds never overlap. */
  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true; // a commit landed mid-round: go round once more
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    // Two batches overlap: the next is claimed while the broker confirms the last.
    const inFlight: Promise<void>[] = [];
    const roundFailed = (error: Error) =>
      this.logger.warn(`Outbox relay round failed, retrying on the next poll: ${error.message}`);
    try {
      // While the broker is away rows stay unclaimed; the 'connected' event brings us back.
      while (!this.stopped && this.connection.isConnected()) {
        this.again = false;
        const claimed = await this.outbox.claim(this.settings.batchSize, this.settings.leaseMs);
        if (claimed.length > 0) inFlight.push(this.publishClaimed(claimed).catch(roundFailed));
        if (inFlight.length === PIPELINE_DEPTH) await inFlight.shift();
        if (claimed.length < this.settings.batchSize) break;
      }
    } catch (error) {
      roundFailed(error as Error);
    }
    await Promise.all(inFlight);
  }

  /** Publishes claimed rows side by side (one confirm wait for all), then marks or reschedules each. */
  private async publishClaimed(claimed: ClaimedEvent[]): Promise<void> {
    const results = await Promise.allSettled(
      claimed.map(({ event, traceContext }) => this.publisher.publish(event, traceContext)),
    );
    const published = claimed.filter((_, index) => results[index].status === 'fulfilled');
    const failed = claimed.flatMap((row, index) => {
      const result = results[index];
      return result.status === 'rejected' ? [{ row, error: result.reason as unknown }] : [];
    });
    await Promise.all([
      published.length > 0 ? this.marks.mark(published.map(({ id }) => id)) : undefined,
      failed.length > 0 ? this.reschedule(failed) : undefined,
    ]);
  }

  private async reschedule(failed: { row: ClaimedEvent; error: unknown }[]): Promise<void> {
    const released: string[] = [];
    for (const { row, error } of failed) await this.recordFailure(row, error, released);
    if (released.length > 0) await this.outbox.release(released);
  }

  private async recordFailure(row: ClaimedEvent, error: unknown, released: string[]): Promise<void> {
    const message = (error as Error)?.message ?? String(error);
    if (error instanceof EventBusError && error.isConnectionFailure) {
      released.push(row.id); // not this event's fault: it goes out right after the reconnect
      return;
    }
    const { initialMs, maxMs } = this.settings.retryDelay;
    const retryInMs = Math.min(maxMs, initialMs * 2 ** Math.min(row.attempts - 1, 20));
    this.logger.warn(
      { eventId: row.id, type: row.event.type, attempts: row.attempts, retryInMs, err: message },
      `Could not publish ${row.event.type} ${row.id}: ${message}`,
    );
    await this.outbox.markFailed(row.id, message, retryInMs);
  }

  private async reportBacklog(): Promise<void> {
    if (!this.options.metrics) return;
    try {
      const { count, oldestAgeSeconds } = await this.outbox.backlog();
      this.options.metrics.outboxBacklog.set(count);
      this.options.metrics.outboxOldestAge.set(oldestAgeSeconds);
    } catch {
      // The database is away; readiness reports it, the gauge keeps its last value.
    }
  }

  private async prune(): Promise<void> {
    try {
      const { outboxMs, inboxMs } = this.settings.retention;
      const sent = await this.outbox.deletePublishedBefore(outboxMs);
      const handled = await this.inbox.deleteHandledBefore(this.db, inboxMs);
      if (sent + handled > 0)
        this.logger.log(`Pruned ${sent} published outbox rows and ${handled} inbox rows`);
    } catch (error) {
      this.logger.warn(`Pruning the event tables failed: ${(error as Error).message}`);
    }
  }
}
