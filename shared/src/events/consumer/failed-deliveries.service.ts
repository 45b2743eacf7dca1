import type { ConsumeMessage } from 'amqplib';
import type { ShopEvent } from '../contracts';
import { publishConfirmed, WatchedChannel } from '../publish-confirmed.service';
import type { ConsumerTopology } from '../topology.model';
import { DeliveryOutcomesService } from './delivery-outcomes.service';
import { afterFailure, retryCopyProperties } from './retry.policy';

/**
 * What becomes of a delivery whose handler threw: a copy goes to the next
 * retry queue (confirmed before the original is acknowledged, so nothing is
 * lost) and comes back after its delay; with the retries used up, the
 * message is rejected and the broker dead-letters it to the service's DLQ.
 */
export class FailedDeliveriesService {
  constructor(
    private readonly topology: ConsumerTopology,
    private readonly outcomes: DeliveryOutcomesService,
    private readonly confirmTimeoutMs: number,
  ) {}

  async retryOrDeadLetter(
    watched: WatchedChannel,
    message: ConsumeMessage,
    event: ShopEvent,
    error: Error,
  ): Promise<void> {
    const action = afterFailure(message, this.topology);
    const why = `attempt ${action.attempt} failed: ${error.message}`;
    if (action.kind === 'dead-letter') {
      const reject = { requeue: false };
      return this.outcomes.settle(watched, message, event, 'dead-lettered', { reject, detail: why });
    }
    try {
      const copy = {
        exchange: this.topology.direct,
        routingKey: action.queue,
        content: message.content,
        properties: retryCopyProperties(message, event.id),
      };
      await publishConfirmed(watched, copy, this.confirmTimeoutMs);
      const detail = `${why}; retrying in ${action.delayMs} ms`;
      this.outcomes.settle(watched, message, event, 'retried', { detail });
    } catch (publishError) {
      // Without a confirmed copy the original must stay: back to the queue
      // (x-delivery-limit bounds how often this can happen).
      const detail = `${why}; retry not placed: ${(publishError as Error).message}`;
      this.outcomes.settle(watched, message, event, 'requeued', { reject: { requeue: true }, detail });
    }
  }
}
