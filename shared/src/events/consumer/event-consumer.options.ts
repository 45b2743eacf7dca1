import type { BusLogger } from '../bus-logger.factory';
import type { EventBusMetrics } from '../event-bus.metrics';
import type { ConsumerTopology } from '../topology.model';
import type { EventHandlers } from './event.handler';

export interface EventConsumerOptions {
  topology: ConsumerTopology;
  /** The schema holding the `inbox` table. */
  schema: string;
  handlers: EventHandlers;
  /** Messages handled at once (unacknowledged deliveries). Default 16. */
  prefetch?: number;
  /** How long to wait for the broker to confirm a retry copy. Default 10 s. */
  confirmTimeoutMs?: number;
  metrics?: EventBusMetrics;
  logger?: BusLogger;
}
