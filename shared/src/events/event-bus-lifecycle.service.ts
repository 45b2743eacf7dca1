import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { HealthRegistryService } from '../health/health-registry.service';
import { AmqpConnectionService } from './amqp-connection.service';
import { EventType } from './contracts';
import { EventConsumerService } from './consumer/event-consumer.service';
import { EventHandler, EventHandlers } from './consumer/event.handler';
import { EventBusMetrics } from './event-bus.metrics';
import {
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_RETRY_DELAYS_MS,
  EVENT_BUS_OPTIONS,
  EventBusOptions,
} from './event-bus.options';
import { EventPublisherService } from './event-publisher.service';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { consumerTopology } from './topology.model';
import { declareEventExchange } from './topology.service';

/**
 * Starts and stops the event bus with the application: the consumer's setup
 * is registered once every provider exists (handlers included), the
 * connection and the relay start on bootstrap, and on shutdown the consumer
 * drains, the relay stops and the connection closes before the database does.
 */
@Injectable()
export class EventBusLifecycleService
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private consumer?: EventConsumerService;

  constructor(
    @Inject(EVENT_BUS_OPTIONS) private readonly options: EventBusOptions,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AmqpConnectionService) private readonly connection: AmqpConnectionService,
    @Inject(EventPublisherService) private readonly publisher: EventPublisherService,
    @Inject(OutboxRelayService) private readonly relay: OutboxRelayService,
    @Inject(EventBusMetrics) private readonly metrics: EventBusMetrics,
    @Inject(HealthRegistryService) private readonly health: HealthRegistryService,
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

    this.consumer = new EventConsumerService(this.connection, this.db, {
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
