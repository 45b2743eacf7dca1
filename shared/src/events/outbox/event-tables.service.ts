import type { DataSource } from 'typeorm';
import { BusLogger } from '../bus-logger.factory';
import { InboxRepository } from '../consumer/inbox.repository';
import { EventBusMetrics } from '../event-bus.metrics';
import { OutboxRepository } from './outbox.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long handled rows are kept, in ms. */
export interface Retention {
  outboxMs: number;
  inboxMs: number;
}

export interface HousekeepingOptions {
  schema: string;
  /** Default: outbox rows 7 days, inbox rows 30 days. */
  retention?: Partial<Retention>;
  logger: BusLogger;
  metrics?: EventBusMetrics;
}

/**
 * The upkeep of a schema's event tables beside the relay: the backlog gauges
 * (unpublished rows, the age of the oldest) and the pruning of rows kept
 * past their retention.
 */
export class EventTablesService {
  private readonly inbox: InboxRepository;
  private readonly retention: Retention;
  private readonly logger: BusLogger;
  private readonly metrics?: EventBusMetrics;

  constructor(
    private readonly db: DataSource,
    private readonly outbox: OutboxRepository,
    options: HousekeepingOptions,
  ) {
    this.inbox = new InboxRepository(options.schema);
    this.retention = { outboxMs: 7 * DAY_MS, inboxMs: 30 * DAY_MS, ...options.retention };
    this.logger = options.logger;
    this.metrics = options.metrics;
  }

  async reportBacklog(): Promise<void> {
    if (!this.metrics) return;
    try {
      const { count, oldestAgeSeconds } = await this.outbox.backlog();
      this.metrics.outboxBacklog.set(count);
      this.metrics.outboxOldestAge.set(oldestAgeSeconds);
    } catch {
      // The database is away; readiness reports it, the gauge keeps its last value.
    }
  }

  async prune(): Promise<void> {
    try {
      const sent = await this.outbox.deletePublishedBefore(this.retention.outboxMs);
      const handled = await this.inbox.deleteHandledBefore(this.db, this.retention.inboxMs);
      if (sent + handled > 0)
        this.logger.log(`Pruned ${sent} published outbox rows and ${handled} inbox rows`);
    } catch (error) {
      this.logger.warn(`Pruning the event tables failed: ${(error as Error).message}`);
    }
  }
}
