import type { DataSource } from 'typeorm';
import { AmqpConnectionService } from '../amqp-connection.service';
import { BusLogger, busLogger } from '../bus-logger.factory';
import { EventPublisherService } from '../event-publisher.service';
import { ClaimedEventsService } from './claimed-events.service';
import { EventTablesService } from './event-tables.service';
import { ClaimedEvent, OutboxRepository } from './outbox.repository';
import { OutboxListenerService } from './outbox-listener.service';
import type { OutboxRelayOptions } from './outbox-relay.options';

/** Batches of one round in flight at once. */
const PIPELINE_DEPTH = 2;

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
 * Either way `ClaimedEventsService` publishes and marks them. A process
 * that dies after a commit, or between publishing and marking, leaves rows
 * that a relay sends again once their claim runs out; consumers absorb the
 * copy through their inbox. At least once, never lost, never skipped.
 */
export class OutboxRelayService {
  private readonly outbox: OutboxRepository;
  private readonly claimed: ClaimedEventsService;
  private readonly housekeeping: EventTablesService;
  private readonly listener: OutboxListenerService;
  private readonly logger: BusLogger;
  private readonly settings: Required<
    Pick<OutboxRelayOptions, 'pollIntervalMs' | 'housekeepingIntervalMs' | 'batchSize' | 'leaseMs'>
  >;
  private readonly dispatching = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<void>;
  private again = false;
  private started = false;
  private stopped = false;

  constructor(
    db: DataSource,
    publisher: EventPublisherService,
    private readonly connection: AmqpConnectionService,
    options: OutboxRelayOptions,
  ) {
    const { schema } = options;
    this.logger = busLogger(`OutboxRelayService:${schema}`, options.logger);
    this.settings = {
      pollIntervalMs: options.pollIntervalMs ?? 5_000,
      housekeepingIntervalMs: options.housekeepingIntervalMs ?? 60 * 60 * 1000,
      batchSize: options.batchSize ?? 100,
      leaseMs: options.leaseMs ?? 30_000,
    };
    this.outbox = new OutboxRepository(db, schema);
    this.claimed = new ClaimedEventsService(this.outbox, publisher, this.logger, options.retryDelay);
    this.housekeeping = new EventTablesService(db, this.outbox, { ...options, logger: this.logger });
    const { pollIntervalMs } = this.settings;
    this.listener = new OutboxListenerService(db, schema, () => this.wake(), pollIntervalMs, this.logger);
  }

  /** Starts listening, polling and pruning; publishes whatever is already waiting. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.connection.on('connected', () => this.wake());
    const poll = () => {
      this.wake();
      void this.housekeeping.reportBacklog();
    };
    const prune = () => void this.housekeeping.prune();
    this.timers.push(setInterval(poll, this.settings.pollIntervalMs).unref());
    this.timers.push(setInterval(prune, this.settings.housekeepingIntervalMs).unref());
    void this.listener.start(); // calls wake() once it listens
    poll();
  }

  /** How long a row written for `dispatch` stays claimed for this relay. */
  get leaseMs(): number {
    return this.settings.leaseMs;
  }

  /**
   * Publishes rows a writer of this process committed already claimed (see
   * `OutboxService`), at once. Stopped or without a broker, it gives them back
   * instead, to the next round (after the reconnect, or in the next process).
   */
  dispatch(rows: ClaimedEvent[]): void {
    const sending =
      this.stopped || !this.connection.isConnected()
        ? this.outbox.release(rows.map(({ id }) => id))
        : this.claimed.publish(rows);
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
    await this.claimed.settled();
  }

  /** Publishes every claimable row now; rounds never overlap. */
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
        if (claimed.length > 0) inFlight.push(this.claimed.publish(claimed).catch(roundFailed));
        if (inFlight.length === PIPELINE_DEPTH) await inFlight.shift();
        if (claimed.length < this.settings.batchSize) break;
      }
    } catch (error) {
      roundFailed(error as Error);
    }
    await Promise.all(inFlight);
  }
}
