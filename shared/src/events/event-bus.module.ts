import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HttpMetrics } from '../metrics/http.metrics';
import { AmqpConnectionService } from './amqp-connection.service';
import { EventBusLifecycleService } from './event-bus-lifecycle.service';
import { EventBusMetrics } from './event-bus.metrics';
import { EVENT_BUS_OPTIONS, EventBusOptions } from './event-bus.options';
import { EventPublisherService } from './event-publisher.service';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { OutboxService } from './outbox/outbox.service';

/**
 * The event bus of one service: `OutboxService` to write events in a
 * transaction, the relay that publishes them, the consumer of the service's
 * subscriptions, the `broker` readiness check and the bus metrics. Needs the
 * global `DataSource` of `DatabaseModule` and the platform's `HttpMetrics` and
 * `HealthRegistryService`.
 *
 * @example
 * EventBusModule.forRoot({ url: config.RABBITMQ_URL, service: 'inventory', subscriptions })
 */
@Module({})
export class EventBusModule {
  static forRoot(options: EventBusOptions): DynamicModule {
    const { url, service, schema = service, exchange, confirmTimeoutMs } = options;
    return {
      module: EventBusModule,
      global: true,
      providers: [
        { provide: EVENT_BUS_OPTIONS, useValue: options },
        {
          provide: EventBusMetrics,
          inject: [HttpMetrics],
          useFactory: (metrics: HttpMetrics) => new EventBusMetrics(metrics.registry),
        },
        {
          provide: AmqpConnectionService,
          useFactory: () => new AmqpConnectionService({ url, name: service, ...options.connection }),
        },
        {
          provide: EventPublisherService,
          inject: [AmqpConnectionService, EventBusMetrics],
          useFactory: (connection: AmqpConnectionService, metrics: EventBusMetrics) =>
            new EventPublisherService(connection, { exchange, confirmTimeoutMs, metrics }),
        },
        {
          // Events written here leave through this process's relay the moment their transaction commits.
          provide: OutboxService,
          inject: [OutboxRelayService],
          useFactory: (relay: OutboxRelayService) => new OutboxService({ service, schema }, relay),
        },
        {
          provide: OutboxRelayService,
          inject: [DataSource, EventPublisherService, AmqpConnectionService, EventBusMetrics],
          useFactory: (
            db: DataSource,
            publisher: EventPublisherService,
            connection: AmqpConnectionService,
            metrics: EventBusMetrics,
          ) => new OutboxRelayService(db, publisher, connection, { ...options.relay, schema, metrics }),
        },
        EventBusLifecycleService,
      ],
      exports: [OutboxService, EventPublisherService, AmqpConnectionService],
    };
  }
}
