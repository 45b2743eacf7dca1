import type { ConfirmChannel, Message, Options } from 'amqplib';
import { EventBusError } from './event-bus.errors';

/** A confirm channel and what the broker has said on it. */
export interface WatchedChannel {
  channel: ConfirmChannel;
  /** Message ids the broker returned as unroutable; their confirm follows the return. */
  returned: Set<string>;
  /** Why the broker closed the channel (e.g. 403 ACCESS_REFUSED), once it has. */
  closeError?: Error;
  closed: boolean;
}

/** Starts following a confirm channel's returns and closing, as `publishConfirmed` needs. */
export function watchChannel(channel: ConfirmChannel): WatchedChannel {
  const watched: WatchedChannel = { channel, returned: new Set(), closed: false };
  channel.on('return', (message: Message) => {
    if (message.properties.messageId) watched.returned.add(message.properties.messageId);
  });
  // 'error' precedes 'close' and the rejection of unconfirmed messages, so
  // those rejections can say why instead of just "channel closed".
  channel.on('error', (error: Error) => {
    watched.closeError = error;
  });
  channel.on('close', () => {
    watched.closed = true;
  });
  return watched;
}

export interface ConfirmedMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  /** `messageId` is required: it is how a return is matched to its publish. */
  properties: Options.Publish & { messageId: string };
}

/**
 * Publishes one message with `mandatory` and resolves when the broker has
 * confirmed it. Rejects with an `EventBusError`: `BUS.UNROUTABLE` (returned),
 * `BUS.REFUSED` (the broker closed the channel over it), `BUS.NACKED`,
 * `BUS.CHANNEL_CLOSED` or `BUS.TIMEOUT`.
 */
export function publishConfirmed(
  watched: WatchedChannel,
  { exchange, routingKey, content, properties }: ConfirmedMessage,
  timeoutMs: number,
): Promise<void> {
  const { messageId } = properties;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new EventBusError('BUS.TIMEOUT', `no confirm for ${messageId} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const confirmed = (error: unknown) => {
      clearTimeout(timer);
      const wasReturned = watched.returned.delete(messageId);
      if (error) reject(failure(messageId, routingKey, error, watched.closeError));
      else if (wasReturned) {
        reject(new EventBusError('BUS.UNROUTABLE', `no queue is bound for ${routingKey} on ${exchange}`));
      } else resolve();
    };
    try {
      watched.channel.publish(exchange, routingKey, content, { ...properties, mandatory: true }, confirmed);
    } catch (error) {
      confirmed(error); // amqplib throws, rather than calls back, on a channel already closed
    }
  });
}

function failure(messageId: string, routingKey: string, error: unknown, closeError?: Error): EventBusError {
  if (closeError) {
    return new EventBusError('BUS.REFUSED', `broker refused ${routingKey}: ${closeError.message}`, {
      cause: closeError,
    });
  }
  if ((error as Error)?.message === 'message nacked') {
    return new EventBusError('BUS.NACKED', `broker nacked ${messageId} (${routingKey})`, { cause: error });
  }
  return new EventBusError('BUS.CHANNEL_CLOSED', `channel closed before confirming ${messageId}`, {
    cause: error,
  });
}
