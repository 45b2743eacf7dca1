import type { Message, MessagePropertyHeaders } from 'amqplib';
import type { ConsumerTopology } from '../topology.model';

/** What to do with a message whose handler failed. */
export type FailureAction =
  | { kind: 'retry'; attempt: number; queue: string; delayMs: number }
  | { kind: 'dead-letter'; attempt: number };

interface DeathRecord {
  queue?: string;
  reason?: string;
}

/**
 * The attempt this delivery is (1 for the first), read from `x-death`: a
 * message coming back from `<service>.events.retry.<n>` (dead-lettered there
 * when its TTL `expired`) is on attempt n + 1. The retry queue's name is the
 * count, so this holds whether the broker keeps the whole history in
 * `x-death` (3.x) or only what it recorded itself (4.x ignores an `x-death`
 * set by a client).
 */
export function attemptOf(message: Message, topology: ConsumerTopology): number {
  const deaths = (message.properties.headers?.['x-death'] ?? []) as DeathRecord[];
  let retries = 0;
  for (const death of deaths) {
    if (death.reason !== 'expired') continue;
    const retry = topology.retryQueues.find((queue) => queue.name === death.queue);
    if (retry) retries = Math.max(retries, retry.attempt);
  }
  return retries + 1;
}

/** The next retry queue, or the dead-letter queue once every retry is used. */
export function afterFailure(message: Message, topology: ConsumerTopology): FailureAction {
  const attempt = attemptOf(message, topology);
  const retry = topology.retryQueues[attempt - 1];
  return retry
    ? { kind: 'retry', attempt, queue: retry.name, delayMs: retry.delayMs }
    : { kind: 'dead-letter', attempt };
}

/**
 * The properties of a message's retry copy: the original's, minus what only
 * the broker may set. Death headers are dropped so the copy's `x-death` holds
 * just the broker's own record of its trip through the retry queue, and
 * `userId` is dropped because the broker checks it against the publisher.
 */
export function retryCopyProperties(message: Message, eventId: string) {
  const { contentType, contentEncoding, type, appId, timestamp, correlationId } = message.properties;
  const headers: MessagePropertyHeaders = {};
  for (const [name, value] of Object.entries(message.properties.headers ?? {})) {
    if (!/^x-(death|first-death-|last-death-|delivery-count)/.test(name)) headers[name] = value;
  }
  return {
    messageId: eventId,
    contentType,
    contentEncoding,
    type,
    appId,
    timestamp,
    correlationId,
    headers,
    persistent: true,
  };
}
