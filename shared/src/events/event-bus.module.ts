import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Metrics } from '../metrics/metrics';
import { AmqpConnection } from './amqp-connection';
import { EventBusLifecycle } from './event-bus.lifecycle';
import { EventBusMetrics } from './event-bus.metrics';
import { EVENT_BUS_OPTIONS, EventBusOptions } from './event-bus.options';
import { EventPublisher } from './event.publisher';
import { OutboxRelay } from './outbox/outbox.relay';
import { OutboxService } from './outbox/outbox.service';

/**
 * The event bus of one service: `OutboxService` to write events in a
 * transaction, the relay that publishes them, the consumer of the service's
 * subscriptions, the `broker` readiness check and the bus metrics. Needs the
 * global `DataSource` of `DatabaseModule` and the platform's `Metrics` and
 * `HealthRegistry`.
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
          inject: [Metrics],
          useFactory: (metrics: Metrics) => new EventBusMetrics(metrics.registry),
        },
        {
          provide: AmqpConnection,
          useFactory: () => new AmqpConnection({ url, name: service, ...options.connection }),
        },
        {
          provide: EventPublisher,
          inject: [AmqpConnection, EventBusMetrics],
          useFactory: (connection: AmqpConnection, metrics: EventBusMetrics) =>
            new EventPublisher(connection, { exchange, confirmTimeoutMs, metrics }),
        },
        {
          // Events written here leave through this process's relay the moment their transaction commits.
          provide: OutboxService,
          inject: [OutboxRelay],
          useFactory: (relay: OutboxRelay) => new OutboxService({ service, schema }, relay),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, EventPublisher, AmqpConnection, EventBusMetrics],
          useFactory: (
            db: DataSource,
            publisher: EventPublisher,
            connection: AmqpConnection,
            metrics: EventBusMetrics,
          ) => new OutboxRelay(db, publisher, connection, { ...options.relay, schema, metrics }),
        },
        EventBusLifecycle,
      ],
      exports: [OutboxService, EventPublisher, AmqpConnection],
    };
  }
}
