import type { Message } from 'amqplib';
import { BusLogger } from '../bus-logger.factory';
import { ConsumeOutcome, EventBusMetrics, typeLabel } from '../event-bus.metrics';
import type { WatchedChannel } from '../publish-confirmed.service';

/** What is known of the event a delivery carried (little, when it was not a valid event). */
export interface DeliveredEvent {
  id?: unknown;
  type?: unknown;
  correlationId?: unknown;
}

/**
 * How a delivery ends: settled with the broker (ack, or nack with or without
 * requeue), counted in `events_consumed_total` and logged with the event's
 * id, type and correlation id at the level its outcome deserves.
 */
export class DeliveryOutcomesService {
  constructor(
    private readonly queue: string,
    private readonly logger: BusLogger,
    private readonly metrics?: EventBusMetrics,
  ) {}

  /** Acks (default) or rejects, then records the outcome. */
  settle(
    watched: WatchedChannel,
    message: Message,
    event: DeliveredEvent,
    outcome: ConsumeOutcome,
    { reject, detail }: { reject?: { requeue: boolean }; detail?: string } = {},
  ): void {
    this.answerBroker(watched, message, outcome, reject);
    this.record(event, outcome, detail);
  }

  // On a channel that closed meanwhile the broker redelivers instead.
  private answerBroker(
    { channel }: WatchedChannel,
    message: Message,
    outcome: ConsumeOutcome,
    reject?: { requeue: boolean },
  ): void {
    try {
      if (reject) channel.nack(message, false, reject.requeue);
      else channel.ack(message);
    } catch (error) {
      const why = (error as Error).message;
      this.logger.warn(
        `Could not settle ${message.properties.messageId} (${outcome}), to be redelivered: ${why}`,
      );
    }
  }

  private record(event: DeliveredEvent, outcome: ConsumeOutcome, detail?: string): void {
    const { id: eventId, type, correlationId } = event;
    this.metrics?.consumed.inc({ type: typeLabel(type), outcome });
    const fields = { eventId, type, correlationId, outcome, queue: this.queue };
    const text = `${outcome} ${String(type)} ${String(eventId)}${detail ? `: ${detail}` : ''}`;
    if (outcome === 'dead-lettered') this.logger.error(fields, text);
    else if (outcome === 'retried' || outcome === 'requeued' || outcome === 'ignored') {
      this.logger.warn(fields, text);
    } else this.logger.log(fields, text);
  }
}
