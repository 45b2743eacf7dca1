import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  AmqpConnectionService,
  DEFAULT_EXCHANGE,
  HealthRegistryService,
  inSpanFrom,
  parseEvent,
  processSpanAttributes,
  SpanKind,
  type ShopEvent,
} from '@shop/shared';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { NotificationHandler } from '../ws/notification.handler';
import { GATEWAY_SUBSCRIPTIONS } from './gateway.subscriptions';

/**
 * This replica's feed of events from `shop.events`. Unlike a service's
 * durable queue, it is an exclusive, auto-delete queue of its own,
 * `gateway.<replica>.events`: every replica needs every event for its own
 * sockets, and what happened while it was away is nobody's to replay (pushes
 * are at most once; clients catch up over HTTP). The broker names no queue
 * for us: the gateway's broker user may only touch `gateway.*` queues.
 *
 * The connection reconnects and redeclares by itself; with the broker away
 * the gateway keeps serving HTTP (readiness reports `broker: down`).
 */
@Injectable()
export class EventFeedService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventFeedService.name);
  readonly queue = `gateway.${randomBytes(6).toString('hex')}.events`;
  private readonly connection: AmqpConnectionService;
  private consuming = false;
  private closing = false;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly handler: NotificationHandler,
    health: HealthRegistryService,
  ) {
    this.connection = new AmqpConnectionService({ url: config.RABBITMQ_URL, name: `gateway ${this.queue}` });
    this.connection.onConnect((model) => this.subscribe(model));
    health.register({ name: 'broker', critical: false, check: async () => this.check() });
  }

  onModuleInit(): void {
    this.connection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.connection.close();
  }

  /** Resolves once the queue is bound and consumed (tests wait for this before publishing). */
  async waitUntilSubscribed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isSubscribed()) {
      if (Date.now() > deadline) throw new Error(`not subscribed after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private isSubscribed(): boolean {
    return this.connection.isConnected() && this.consuming;
  }

  private check(): void {
    if (!this.isSubscribed()) throw new Error(this.connection.describeFailure());
  }

  private async subscribe(model: ChannelModel): Promise<void> {
    this.consuming = false;
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn(`The event feed's channel failed: ${error.message}`),
    );
    await channel.assertQueue(this.queue, { exclusive: true, autoDelete: true, durable: false });
    for (const type of GATEWAY_SUBSCRIPTIONS) await channel.bindQueue(this.queue, DEFAULT_EXCHANGE, type);
    // At most once: the broker forgets a message once sent, a crashed replica's sockets are gone anyway.
    await channel.consume(this.queue, (message) => this.receive(channel, message), { noAck: true });
    channel.on('close', () => {
      this.consuming = false;
      // A lost channel on a live connection (the queue deleted, a permission error): start over.
      if (!this.closing) this.connection.reset('the event feed channel closed');
    });
    this.consuming = true;
  }

  private receive(channel: Channel, message: ConsumeMessage | null): void {
    // null: the broker cancelled the consumer; the channel is of no further use.
    if (message === null) return void channel.close().catch(() => undefined);
    let event: ShopEvent;
    try {
      event = parseEvent(JSON.parse(message.content.toString('utf8')));
    } catch (error) {
      this.logger.warn(
        `Dropped an invalid event (${message.fields.routingKey}): ${(error as Error).message}`,
      );
      return;
    }
    // The push joins the trace of whatever caused the event (publisher's context in the headers).
    const attributes = processSpanAttributes(message.fields, event.id);
    inSpanFrom(`process ${event.type}`, SpanKind.CONSUMER, message.properties.headers, attributes, () =>
      this.handler.handle(event),
    ).catch((error: Error) =>
      this.logger.error(`Handling ${event.type} ${event.id} failed: ${error.message}`),
    );
  }
}
