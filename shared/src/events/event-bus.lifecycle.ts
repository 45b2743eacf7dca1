import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { HealthRegistry } from '../health/health.registry';
import { AmqpConnection } from './amqp-connection';
import { EventType } from './contracts';
import { EventConsumer } from './consumer/event.consumer';
import { EventHandler, EventHandlers } from './consumer/event.handler';
import { EventBusMetrics } from './event-bus.metrics';
import {
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_RETRY_DELAYS_MS,
  EVENT_BUS_OPTIONS,
  EventBusOptions,
} from './event-bus.options';
import { EventPublisher } from './event.publisher';
import { OutboxRelay } from './outbox/outbox.relay';
import { consumerTopology } from './topology';
import { declareEventExchange } from './topology.declarations';

/**
 * Starts and stops the event bus with the application: the consumer's setup
 * is registered once every provider exists (handlers included), the
 * connection and the relay start on bootstrap, and on shutdown the consumer
 * drains, the relay stops and the connection closes before the database does.
 */
@Injectable()
export class EventBusLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: EventConsumer;

  constructor(
    @Inject(EVENT_BUS_OPTIONS) private readonly options: EventBusOptions,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AmqpConnection) private readonly connection: AmqpConnection,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(EventBusMetrics) private readonly metrics: EventBusMetrics,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    // Not critical: while the broker is away the outbox keeps the events (SPEC: Ready).
    this.health.register({
      name: 'broker',
      critical: false,
      check: async () => {
        if (!this.connection.isConnected()) throw new Error(this.connection.describeFailure());
      },
    });

    const {
      service,
      schema = service,
      exchange,
      subscriptions = {},
      prefetch,
      confirmTimeoutMs,
    } = this.options;
    const types = Object.keys(subscriptions) as EventType[];
    if (types.length === 0) {
      this.connection.onConnect(async (model) => {
        const channel = await model.createChannel();
        channel.on('error', () => undefined); // the failed declaration rejects below
        await declareEventExchange(channel, exchange);
        await channel.close();
      });
      return;
    }

    this.consumer = new EventConsumer(this.connection, this.db, {
      topology: consumerTopology({
        service,
        exchange,
        eventTypes: types,
        retryDelaysMs: this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
        deliveryLimit: this.options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT,
      }),
      schema,
      handlers: this.resolveHandlers(types),
      prefetch,
      confirmTimeoutMs,
      metrics: this.metrics,
    });
    this.consumer.attach();
  }

  onApplicationBootstrap(): void {
    this.connection.start();
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.relay.stop();
    await this.publisher.close();
    await this.connection.close();
  }

  private resolveHandlers(types: EventType[]): EventHandlers {
    const subscriptions = this.options.subscriptions ?? {};
    const handlers: Record<string, EventHandler> = {};
    for (const type of types) {
      const handlerClass = subscriptions[type]!;
      try {
        handlers[type] = this.moduleRef.get(handlerClass, { strict: false }) as EventHandler;
      } catch (error) {
        throw new Error(
          `The handler of ${type}, ${handlerClass.name}, is not a provider: add it to a module's providers`,
          { cause: error },
        );
      }
    }
    return handlers;
  }
}
