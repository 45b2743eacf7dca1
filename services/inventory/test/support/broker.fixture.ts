import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { ShopEvent } from '@shop/shared';
import { eventually } from '@shop/shared/testing';

const EXCHANGE = 'shop.events';

/** Another service on the broker, as seen from outside the code under test. */
export interface TestBroker {
  /** Publishes an event as its source service would (persistent, type as routing key). */
  publish(event: ShopEvent): Promise<void>;
  /** Collects what arrives for these routing keys. */
  tap(...types: string[]): Promise<ConsumeMessage[]>;
  /** Resolves once `queue` has a consumer, i.e. the service's subscriptions are bound. */
  consumerOn(queue: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function connectTestBroker(url: string): Promise<TestBroker> {
  const model: ChannelModel = await connect(url);
  model.on('error', () => undefined);
  const channel = await model.createConfirmChannel();
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
  return {
    publish: (event) =>
      new Promise((resolve, reject) => {
        const body = Buffer.from(JSON.stringify(event));
        const properties = {
          persistent: true,
          messageId: event.id,
          type: event.type,
          contentType: 'application/json',
        };
        channel.publish(EXCHANGE, event.type, body, properties, (error) =>
          error ? reject(error) : resolve(),
        );
      }),
    async tap(...types) {
      const received: ConsumeMessage[] = [];
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
      for (const type of types) await channel.bindQueue(queue, EXCHANGE, type);
      await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
      return received;
    },
    async consumerOn(queue, timeoutMs = 10_000) {
      const hasConsumer = async () => {
        // A failed check closes its channel, so each look gets a fresh one.
        const probe = await model.createChannel();
        probe.on('error', () => undefined);
        const found = await probe.checkQueue(queue).catch(() => undefined);
        await probe.close().catch(() => undefined);
        return (found?.consumerCount ?? 0) > 0;
      };
      await eventually(hasConsumer, { timeoutMs, everyMs: 50 }).catch(() => {
        throw new Error(`no consumer on ${queue} within ${timeoutMs} ms`);
      });
    },
    close: () => model.close().catch(() => undefined),
  };
}
