import type { Channel } from 'amqplib';
import { EVENT_TYPES, EventType } from './contracts';

/** The topic exchange every event is published to, with its type as the routing key. */
export const DEFAULT_EXCHANGE = 'shop.events';

// A dead-letter queue is read by people and tools, not by the service. RabbitMQ
// 4 would drop a message requeued 20 times there (its default limit; the DLQ
// has no DLX of its own), and -1, "unlimited" on 4.x, broke the consumer after
// one requeue on 3.10. A large explicit limit means the same on both.
const DEAD_LETTER_QUEUE_DELIVERY_LIMIT = 1000;

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

/** Declares the shared topic exchange: all a service that only publishes needs. */
export async function declareEventExchange(channel: Channel, exchange = DEFAULT_EXCHANGE): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

/**
 * Declares (idempotently) everything a consuming service needs: the shared
 * exchange, its private direct exchange, its main, retry and dead-letter
 * quorum queues with every argument explicit (RabbitMQ 3.10 and 4.x differ in
 * their defaults), and exactly one binding per subscribed type: bindings for
 * types it no longer handles are removed, so they stop arriving.
 *
 * RabbitMQ refuses to redeclare a queue with other arguments (406
 * PRECONDITION_FAILED). Changing a retry delay or the delivery limit of an
 * existing queue therefore means deleting that queue first.
 */
export async function declareConsumerTopology(channel: Channel, topology: ConsumerTopology): Promise<void> {
  const { exchange, direct, queue, deadLetterQueue, retryQueues, eventTypes, deliveryLimit } = topology;
  await declareEventExchange(channel, exchange);
  await channel.assertExchange(direct, 'direct', { durable: true });

  await assertQuorumQueue(channel, deadLetterQueue, { 'x-delivery-limit': DEAD_LETTER_QUEUE_DELIVERY_LIMIT });
  await assertQuorumQueue(channel, queue, {
    'x-delivery-limit': deliveryLimit,
    ...deadLetterTo(direct, deadLetterQueue),
  });
  for (const retry of retryQueues) {
    await assertQuorumQueue(channel, retry.name, {
      'x-message-ttl': retry.delayMs,
      'x-delivery-limit': deliveryLimit,
      ...deadLetterTo(direct, queue),
    });
  }

  for (const name of [queue, deadLetterQueue, ...retryQueues.map((retry) => retry.name)]) {
    await channel.bindQueue(name, direct, name);
  }
  for (const type of EVENT_TYPES) {
    // Unbinding a binding that does not exist is a no-op, which makes this cheap to repeat.
    if (eventTypes.includes(type)) await channel.bindQueue(queue, exchange, type);
    else await channel.unbindQueue(queue, exchange, type);
  }
}

// at-least-once dead-lettering keeps a message in its queue until the target
// confirms it, and RabbitMQ only honours it together with reject-publish.
function deadLetterTo(exchange: string, routingKey: string) {
  return {
    'x-dead-letter-exchange': exchange,
    'x-dead-letter-routing-key': routingKey,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

async function assertQuorumQueue(
  channel: Channel,
  name: string,
  args: Record<string, unknown>,
): Promise<void> {
  try {
    await channel.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'quorum', ...args } });
  } catch (error) {
    if ((error as { code?: number }).code === 406) {
      throw new Error(
        `Queue ${name} exists with other arguments (${(error as Error).message}). ` +
          `Delete it (rabbitmqctl delete_queue ${name}) or restore the previous settings.`,
        { cause: error },
      );
    }
    throw error;
  }
}
