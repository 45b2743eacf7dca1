// The yardstick of the event bus: plain amqplib moving the same messages the same way, minus
// the database. Persistent messages published with confirms in batches of 100 (the relay's
// batch), to a durable quorum queue, consumed on another connection with prefetch 16 (the
// consumer's default) and one ack per message.
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';

const QUEUE = 'bench.bus.plain';

/** Publishes `count` copies of `content` and consumes them; resolves with the seconds it took. */
export async function plainThroughput(url, count, content, { batchSize = 100, prefetch = 16 } = {}) {
  const publisher = await amqp.connect(url, { noDelay: true });
  const receiver = await amqp.connect(url, { noDelay: true });
  try {
    const publishing = await publisher.createConfirmChannel();
    await publishing.assertQueue(QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await publishing.purgeQueue(QUEUE);
    const consuming = await receiver.createChannel();
    await consuming.prefetch(prefetch);
    let consumed = 0;
    const allConsumed = new Promise((resolve) =>
      consuming.consume(QUEUE, (message) => {
        consuming.ack(message);
        if (++consumed === count) resolve(performance.now());
      }),
    );

    const startedAt = performance.now();
    for (let sent = 0; sent < count; sent += batchSize) {
      for (let i = sent; i < Math.min(count, sent + batchSize); i++)
        publishing.sendToQueue(QUEUE, content, { persistent: true, messageId: String(i) });
      await publishing.waitForConfirms();
    }
    const seconds = ((await allConsumed) - startedAt) / 1000;
    await publishing.deleteQueue(QUEUE);
    return seconds;
  } finally {
    await Promise.allSettled([publisher.close(), receiver.close()]);
  }
}
