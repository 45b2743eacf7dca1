import { AmqpConnectionService } from './amqp-connection.service';
import { inSpanFrom, SpanKind, TraceCarrier } from '../tracing/trace-context.service';
import { parseEvent, ShopEvent } from './contracts';
import { EventBusError } from './event-bus.errors';
import { EventBusMetrics, typeLabel } from './event-bus.metrics';
import { publishConfirmed, watchChannel, WatchedChannel } from './publish-confirmed.service';
import { DEFAULT_EXCHANGE } from './topology.model';

export interface EventPublisherOptions {
  /** Defaults to `shop.events`. */
  exchange?: string;
  /** How long to wait for the broker's confirm. Default 10 s. */
  confirmTimeoutMs?: number;
  metrics?: EventBusMetrics;
}

/**
 * Publishes events to the topic exchange, one confirm channel at a time, and
 * resolves only when the broker has taken responsibility for the message:
 * persistent, `mandatory` (an event no queue is bound for is an error, not a
 * silent drop) and confirmed. Any failure rejects with an `EventBusError`;
 * the relay leaves the event in the outbox and tries again later.
 *
 * Which types a service may publish is the broker's to enforce (topic
 * permissions): a forbidden routing key gets 403 ACCESS_REFUSED, which closes
 * the channel; that publish rejects and the next one opens a new channel.
 */
export class EventPublisherService {
  private readonly exchange: string;
  private readonly confirmTimeoutMs: number;
  private current?: WatchedChannel;
  private opening?: Promise<WatchedChannel>;

  constructor(
    private readonly connection: AmqpConnectionService,
    private readonly options: EventPublisherOptions,
  ) {
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  }

  /**
   * Publishes one event with its type as the routing key, in a `publish <type>`
   * producer span, child of `traceContext` (the context the event was written
   * in) when given; the span's context goes with the message's headers.
   *
   * @throws InvalidEventError when the event breaks its schema (nothing is sent)
   * @throws EventBusError when the broker did not confirm it
   */
  async publish(event: ShopEvent, traceContext?: TraceCarrier): Promise<void> {
    const valid = this.validate(event);
    const attributes = {
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
      'messaging.destination.name': this.exchange,
      'messaging.rabbitmq.destination.routing_key': valid.type,
      'messaging.message.id': valid.id,
    };
    try {
      await inSpanFrom(`publish ${valid.type}`, SpanKind.PRODUCER, traceContext, attributes, (headers) =>
        this.send(valid, headers),
      );
      this.options.metrics?.published.inc({ type: valid.type, outcome: 'ok' });
    } catch (error) {
      const outcome = error instanceof EventBusError ? error.code.slice(4).toLowerCase() : 'failed';
      this.options.metrics?.published.inc({ type: valid.type, outcome });
      throw error;
    }
  }

  /** Closes the channel (shutdown); a later publish would open another. */
  async close(): Promise<void> {
    const watched = this.current ?? (await this.opening?.catch(() => undefined));
    this.current = undefined;
    await watched?.channel.close().catch(() => undefined);
  }

  private validate(event: ShopEvent): ShopEvent {
    try {
      return parseEvent(event);
    } catch (error) {
      this.options.metrics?.published.inc({ type: typeLabel(event?.type), outcome: 'invalid' });
      throw error;
    }
  }

  private async send(event: ShopEvent, traceHeaders: TraceCarrier): Promise<void> {
    const watched = await this.channel();
    const message = {
      exchange: this.exchange,
      routingKey: event.type,
      content: Buffer.from(JSON.stringify(event)),
      properties: messageProperties(event, traceHeaders),
    };
    try {
      await publishConfirmed(watched, message, this.confirmTimeoutMs);
    } catch (error) {
      // A channel that lost a confirm cannot be trusted with the next one.
      if ((error as EventBusError).code === 'BUS.TIMEOUT') this.discard(watched);
      throw error;
    }
  }

  private async channel(): Promise<WatchedChannel> {
    if (this.current && !this.current.closed) return this.current;
    this.opening ??= this.connection
      .createConfirmChannel()
      .then((channel) => (this.current = watchChannel(channel)))
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  private discard(watched: WatchedChannel): void {
    if (this.current === watched) this.current = undefined;
    watched.channel.close().catch(() => undefined);
  }
}

/**
 * AMQP properties of an event: everything a consumer or an operator needs
 * without parsing the body, and the trace context (`traceparent`,
 * `tracestate`) when tracing is on.
 */
function messageProperties(event: ShopEvent, traceHeaders: TraceCarrier) {
  return {
    persistent: true,
    contentType: 'application/json',
    messageId: event.id,
    type: event.type,
    appId: event.source,
    // AMQP timestamps are whole seconds; the body keeps the precise occurredAt.
    timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    headers: { ...traceHeaders, correlationId: event.correlationId },
  };
}
