import type { AmqpConnectionOptions } from './amqp-connection.service';
import type { EventSource } from './contracts';
import type { Subscriptions } from './consumer/event.handler';
import type { OutboxRelayOptions } from './outbox/outbox-relay.options';

/** Injection token of the options given to `EventBusModule.forRoot`. */
export const EVENT_BUS_OPTIONS = Symbol('EVENT_BUS_OPTIONS');

export interface EventBusOptions {
  /** RABBITMQ_URL, with the service's own broker user. */
  url: string;
  /** The service: source of the events it publishes, owner of `<service>.events`. */
  service: EventSource;
  /** The schema with `outbox` and `inbox`; defaults to the service name. */
  schema?: string;
  /** Defaults to `shop.events`. */
  exchange?: string;
  /** What the service consumes (`defineSubscriptions`); none: it only publishes. */
  subscriptions?: Subscriptions;
  /** Messages handled at once. Default 16. */
  prefetch?: number;
  /** Delay before each retry of a failed handler. Default [1 s, 10 s, 60 s]: four attempts in all. */
  retryDelaysMs?: number[];
  /** Redeliveries (crashes, requeues) before the broker dead-letters a message. Default 5. */
  deliveryLimit?: number;
  /** How long a publish waits for the broker's confirm. Default 10 s. */
  confirmTimeoutMs?: number;
  relay?: Omit<OutboxRelayOptions, 'schema' | 'metrics' | 'logger'>;
  connection?: Pick<AmqpConnectionOptions, 'heartbeatSeconds' | 'reconnectDelay' | 'connectTimeoutMs'>;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 10_000, 60_000];
export const DEFAULT_DELIVERY_LIMIT = 5;
