import { EVENT_TYPES, EventType } from './contracts';

/** The topic exchange every event is published to, with its type as the routing key. */
export const DEFAULT_EXCHANGE = 'shop.events';

const SERVICE_NAME = /^[a-z][a-z0-9_-]*$/;

export interface ConsumerTopologyOptions {
  /** The consuming service; its queues are `<service>.events…`. */
  service: string;
  /** The event types the service handles: one binding each. */
  eventTypes: readonly EventType[];
  /** One TTL queue per retry, in order: `[1000, 10000]` retries after 1 s, then after 10 s. */
  retryDelaysMs: readonly number[];
  /** Deliveries of one message (crashes, requeues) before the broker dead-letters it. */
  deliveryLimit: number;
  /** Defaults to `shop.events`; tests use their own. */
  exchange?: string;
}

/** The names and settings of one consuming service's broker objects. */
export interface ConsumerTopology {
  exchange: string;
  service: string;
  /** `<service>.events`: the durable quorum queue the service consumes. */
  queue: string;
  /**
   * `<service>.events.direct`: the service's private direct exchange. Each of
   * its queues is bound to it under its own name, so a dead-lettered or retried
   * message reaches exactly one queue of this service and is never re-broadcast
   * to the other subscribers of `shop.events`.
   */
  direct: string;
  /** `<service>.events.dlq`: poison and invalid messages, kept for people to inspect. */
  deadLetterQueue: string;
  /** `<service>.events.retry.<n>`: the n-th retry waits here for `delayMs`, then returns to `queue`. */
  retryQueues: readonly { name: string; attempt: number; delayMs: number }[];
  eventTypes: readonly EventType[];
  deliveryLimit: number;
}

/** Computes the broker objects of a consuming service (declares nothing). */
export function consumerTopology(options: ConsumerTopologyOptions): ConsumerTopology {
  const { service, eventTypes, retryDelaysMs, deliveryLimit, exchange = DEFAULT_EXCHANGE } = options;
  if (!SERVICE_NAME.test(service)) {
    throw new Error(`Invalid service name "${service}": use lower-case letters, digits, - and _`);
  }
  if (!Number.isInteger(deliveryLimit) || deliveryLimit < 1) {
    throw new Error(`deliveryLimit must be a positive integer, got ${deliveryLimit}`);
  }
  for (const delay of retryDelaysMs) {
    if (!Number.isInteger(delay) || delay < 1) throw new Error(`retry delays must be positive integers (ms)`);
  }
  for (const type of eventTypes) {
    if (!EVENT_TYPES.includes(type)) throw new Error(`Unknown event type "${type}"`);
  }
  const queue = `${service}.events`;
  return {
    exchange,
    service,
    queue,
    direct: `${queue}.direct`,
    deadLetterQueue: `${queue}.dlq`,
    retryQueues: retryDelaysMs.map((delayMs, index) => ({
      name: `${queue}.retry.${index + 1}`,
      attempt: index + 1,
      delayMs,
    })),
    eventTypes: [...new Set(eventTypes)],
    deliveryLimit,
  };
}
