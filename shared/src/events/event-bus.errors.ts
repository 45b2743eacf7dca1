/** Stable codes of the ways a publish can fail; all of them leave the outbox row for a later attempt. */
export type EventBusErrorCode =
  /** No broker connection right now; the caller should wait for the next `connected`. */
  | 'BUS.NOT_CONNECTED'
  /** No queue is bound for the routing key (`mandatory` returned it). */
  | 'BUS.UNROUTABLE'
  /** The broker closed the channel, e.g. 403 ACCESS_REFUSED from topic permissions. */
  | 'BUS.REFUSED'
  /** The broker nacked the message (a queue refused it, e.g. `reject-publish`). */
  | 'BUS.NACKED'
  /** No confirm within the timeout: the broker may be blocked or hung. */
  | 'BUS.TIMEOUT'
  /** The channel or connection went away before the confirm. */
  | 'BUS.CHANNEL_CLOSED';

/** A publish the broker did not confirm. The event may still have arrived; consumers dedupe. */
export class EventBusError extends Error {
  override readonly name = 'EventBusError';

  constructor(
    readonly code: EventBusErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when the failure is about the connection, not about this event: retry all of them later. */
  get isConnectionFailure(): boolean {
    return this.code === 'BUS.NOT_CONNECTED' || this.code === 'BUS.CHANNEL_CLOSED';
  }
}
