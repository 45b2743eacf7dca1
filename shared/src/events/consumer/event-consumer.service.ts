import type { ChannelModel, ConsumeMessage } from 'amqplib';
import type { DataSource } from 'typeorm';
import { AmqpConnectionService } from '../amqp-connection.service';
import { BusLogger, busLogger } from '../bus-logger.factory';
import { parseEvent, ShopEvent } from '../contracts';
import { runWithCorrelationId } from '../correlation.store';
import type { ConsumeOutcome } from '../event-bus.metrics';
import { watchChannel, WatchedChannel } from '../publish-confirmed.service';
import { declareConsumerTopology } from '../topology.service';
import {
  failActiveSpan,
  inSpanFrom,
  processSpanAttributes,
  SpanKind,
} from '../../tracing/trace-context.service';
import type { EventHandler } from './event.handler';
import { DeliveryOutcomesService } from './delivery-outcomes.service';
import { FailedDeliveriesService } from './failed-deliveries.service';
import type { EventConsumerOptions } from './event-consumer.options';
import { InboxRepository } from './inbox.repository';

/**
 * Consumes a service's queue with manual acknowledgements. For each message:
 *
 * - not JSON or not a valid event → dead-lettered at once (retrying cannot fix it);
 * - no handler for its type → acknowledged and dropped;
 * - otherwise the handler runs in one transaction with the inbox insert: an
 *   event already in the inbox is skipped (`duplicate`); on success the
 *   transaction commits, then the message is acknowledged;
 * - a handler that throws rolls back, and the message is retried later or
 *   dead-lettered (`FailedDeliveriesService`).
 */
export class EventConsumerService {
  private readonly inbox: InboxRepository;
  private readonly logger: BusLogger;
  private readonly outcomes: DeliveryOutcomesService;
  private readonly failures: FailedDeliveriesService;
  private readonly inFlight = new Set<Promise<void>>();
  private current?: { watched: WatchedChannel; consumerTag: string };
  private stopping = false;

  constructor(
    private readonly connection: AmqpConnectionService,
    private readonly db: DataSource,
    private readonly options: EventConsumerOptions,
  ) {
    const { topology, schema, metrics, confirmTimeoutMs = 10_000 } = options;
    this.inbox = new InboxRepository(schema);
    this.logger = busLogger(`EventConsumerService:${topology.queue}`, options.logger);
    this.outcomes = new DeliveryOutcomesService(topology.queue, this.logger, metrics);
    this.failures = new FailedDeliveriesService(topology, this.outcomes, confirmTimeoutMs);
  }

  /** Declares the topology and consumes on every connection. Call before `connection.start()`. */
  attach(): void {
    this.connection.onConnect((model) => this.consume(model));
  }

  /** Stops taking messages and waits (up to `graceMs`) for those being handled. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const channel = this.current?.watched.channel;
    if (this.current) await channel?.cancel(this.current.consumerTag).catch(() => undefined);
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    await channel?.close().catch(() => undefined);
  }

  private async consume(model: ChannelModel): Promise<void> {
    const { topology, prefetch = 16 } = this.options;
    const channel = await model.createConfirmChannel();
    const watched = watchChannel(channel);
    channel.on('error', (error: Error) => this.logger.warn(`Consumer channel closed: ${error.message}`));
    channel.on('close', () => {
      // Closed by the broker while the connection lives on: start over on a fresh connection.
      if (!this.stopping && this.current?.watched === watched)
        this.connection.reset('the consumer channel closed');
    });

    await declareConsumerTopology(channel, topology);
    await channel.prefetch(prefetch);
    const { consumerTag } = await channel.consume(
      topology.queue,
      (message) => {
        if (message === null) {
          return this.connection.reset(`the broker cancelled the consumer of ${topology.queue}`);
        }
        const handling = this.handle(watched, message).finally(() => this.inFlight.delete(handling));
        this.inFlight.add(handling);
      },
      { noAck: false },
    );
    this.current = { watched, consumerTag };
  }

  private async handle(watched: WatchedChannel, message: ConsumeMessage): Promise<void> {
    let event: ShopEvent;
    try {
      event = parseEvent(JSON.parse(message.content.toString('utf8')));
    } catch (error) {
      return this.refuseInvalid(watched, message, error as Error);
    }

    const handler = this.options.handlers[event.type] as EventHandler | undefined;
    if (!handler) {
      return this.outcomes.settle(watched, message, event, 'ignored', { detail: 'no handler for this type' });
    }

    // One consumer span per delivery, child of the publisher's when the
    // headers carry its context: the handler's work, the events it writes and
    // the outcome's log line all join the trace of what caused the event.
    const attributes = processSpanAttributes(message.fields, event.id, this.options.topology.queue);
    await inSpanFrom(
      `process ${event.type}`,
      SpanKind.CONSUMER,
      message.properties.headers,
      attributes,
      async () => {
        try {
          const outcome = await runWithCorrelationId(event.correlationId, () => this.apply(event, handler));
          this.outcomes.settle(watched, message, event, outcome);
        } catch (error) {
          failActiveSpan(error);
          await this.failures.retryOrDeadLetter(watched, message, event, error as Error);
        }
      },
    );
  }

  /** Not JSON, or not a valid event: no retry can fix it, so straight to the DLQ. */
  private refuseInvalid(watched: WatchedChannel, message: ConsumeMessage, error: Error): void {
    const { type, messageId: id, headers } = message.properties;
    const event = { id, type, correlationId: headers?.correlationId };
    const detail = `invalid event: ${error.message}`;
    this.outcomes.settle(watched, message, event, 'dead-lettered', { reject: { requeue: false }, detail });
  }

  private apply(event: ShopEvent, handler: EventHandler): Promise<ConsumeOutcome> {
    return this.db.transaction(async (tx) => {
      if (!(await this.inbox.recordHandled(tx, event.id, this.options.topology.queue))) return 'duplicate';
      await handler.handle(event, tx);
      return 'ok';
    });
  }
}
