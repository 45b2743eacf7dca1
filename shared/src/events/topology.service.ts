import type { Channel } from 'amqplib';
import { EVENT_TYPES } from './contracts';
import { ConsumerTopology, DEFAULT_EXCHANGE } from './topology.model';

// A dead-letter queue is read by people and tools, not by the service. RabbitMQ
// 4 would drop a message requeued 20 times there (its default limit; the DLQ
// has no DLX of its own), and -1, "unlimited" on 4.x, broke the consumer after
// one requeue on 3.10. A large explicit limit means the same on both.
const DEAD_LETTER_QUEUE_DELIVERY_LIMIT = 1000;

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
