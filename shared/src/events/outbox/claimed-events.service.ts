import { BusLogger } from '../bus-logger.factory';
import { EventBusError } from '../event-bus.errors';
import { EventPublisherService } from '../event-publisher.service';
import { ClaimedEvent, OutboxRepository } from './outbox.repository';
import { PublishedMarksService } from './published-marks.service';

/** Backoff of an event whose publish failed: doubles from `initialMs` up to `maxMs`. */
export interface RetryDelay {
  initialMs: number;
  maxMs: number;
}

/**
 * Publishes outbox rows a relay holds the claim of, and records how each
 * went: confirmed rows are marked published (marks that arrive together
 * share one UPDATE), a row the broker refused is held back with backoff, and
 * a row that met a lost connection is given back at once, to go out after
 * the reconnect.
 */
export class ClaimedEventsService {
  private readonly marks: PublishedMarksService;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: EventPublisherService,
    private readonly logger: BusLogger,
    private readonly retryDelay: RetryDelay = { initialMs: 1_000, maxMs: 60_000 },
  ) {
    this.marks = new PublishedMarksService((ids) => this.outbox.markPublished(ids));
  }

  /** Publishes the rows side by side (one confirm wait for all), then marks or reschedules each. */
  async publish(claimed: ClaimedEvent[]): Promise<void> {
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

  /** Resolves once every mark asked for so far is written. */
  settled(): Promise<void> {
    return this.marks.settled();
  }

  private async reschedule(failed: { row: ClaimedEvent; error: unknown }[]): Promise<void> {
    const released: string[] = [];
    for (const { row, error } of failed) {
      if (error instanceof EventBusError && error.isConnectionFailure) {
        released.push(row.id); // not this event's fault: it goes out right after the reconnect
      } else {
        await this.holdBack(row, error);
      }
    }
    if (released.length > 0) await this.outbox.release(released);
  }

  private async holdBack(row: ClaimedEvent, error: unknown): Promise<void> {
    const message = (error as Error)?.message ?? String(error);
    const { initialMs, maxMs } = this.retryDelay;
    const retryInMs = Math.min(maxMs, initialMs * 2 ** Math.min(row.attempts - 1, 20));
    this.logger.warn(
      { eventId: row.id, type: row.event.type, attempts: row.attempts, retryInMs, err: message },
      `Could not publish ${row.event.type} ${row.id}: ${message}`,
    );
    await this.outbox.markFailed(row.id, message, retryInMs);
  }
}
