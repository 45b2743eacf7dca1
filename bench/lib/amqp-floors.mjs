// What RabbitMQ's parts of an event's path cost on this machine, measured one message at a
// time with plain amqplib through durable quorum queues (as the services' queues are) and
// persistent messages on confirm channels, on connections with TCP_NODELAY as the system
// opens them (shared/src/events/amqp-connection.service.ts).
//
// The services' pattern is measured too: a consumer acks a message and 1–3 ms later (its
// transaction) the outbox relay publishes on the same connection and waits for the confirm.
// The broker never answers an ack, so its kernel delays the TCP ACK (about 40 ms on Linux);
// with Nagle's algorithm on (amqplib's default) the publish waits behind it. Both ways are
// measured, so the reader sees what `noDelay` is worth.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import { percentiles } from './stats.mjs';

const WARM_UP = 20;
const quorum = { durable: true, arguments: { 'x-queue-type': 'quorum' } };

const confirmedSend = (channel, queue, content) =>
  new Promise((resolve, reject) =>
    channel.sendToQueue(queue, content, { persistent: true }, (error) =>
      error ? reject(error) : resolve(performance.now()),
    ),
  );

/** Calls `onMessage(message, channel)` for each delivery of `queue` (manual acks, prefetch 1). */
async function consumer(connection, queue, onMessage) {
  const channel = await connection.createChannel();
  await channel.prefetch(1);
  await channel.consume(queue, (message) => message && onMessage(message, channel), { noAck: false });
  return channel;
}

/**
 * Publish → confirm, and publish → delivered to a consumer on another connection, with the
 * per-message gap between the two (confirm → delivered: what a hop that starts at the
 * relay's confirm has left to wait). Percentiles in ms.
 */
export async function publishFloor(url, count) {
  const publisher = await amqp.connect(url, { noDelay: true });
  const receiver = await amqp.connect(url, { noDelay: true });
  const queue = 'bench.floor.publish';
  try {
    const channel = await publisher.createConfirmChannel();
    await channel.assertQueue(queue, quorum);
    let delivered;
    await consumer(receiver, queue, (message, receiving) => {
      receiving.ack(message);
      delivered?.(performance.now());
    });
    const confirms = [];
    const deliveries = [];
    const gaps = [];
    for (let i = 0; i < count + WARM_UP; i++) {
      const arrived = new Promise((resolve) => (delivered = resolve));
      const startedAt = performance.now();
      const confirmed = confirmedSend(channel, queue, Buffer.from(JSON.stringify({ i })));
      const [confirmedAt, arrivedAt] = await Promise.all([confirmed, arrived]);
      if (i < WARM_UP) continue;
      confirms.push(confirmedAt - startedAt);
      deliveries.push(arrivedAt - startedAt);
      gaps.push(arrivedAt - confirmedAt);
    }
    await channel.deleteQueue(queue);
    return { confirm: percentiles(confirms), deliver: percentiles(deliveries), gap: percentiles(gaps) };
  } finally {
    await Promise.allSettled([publisher.close(), receiver.close()]);
  }
}

/**
 * The services' pattern on one connection (`noDelay` as given): a message arrives on a
 * consumer channel and is acked; 1–3 ms later a publish on a confirm channel of the same
 * connection; the time from that publish to its confirm. A second connection feeds the
 * consumer, one message at a time. Percentiles in ms.
 */
export async function ackThenPublishFloor(url, count, { noDelay }) {
  const service = await amqp.connect(url, { noDelay });
  const peer = await amqp.connect(url, { noDelay: true });
  const inbound = 'bench.floor.inbound';
  const outbound = 'bench.floor.outbound';
  try {
    const feeding = await peer.createConfirmChannel();
    const publishing = await service.createConfirmChannel();
    await feeding.assertQueue(inbound, quorum);
    await publishing.assertQueue(outbound, quorum);
    let received;
    await consumer(service, inbound, (message, channel) => {
      channel.ack(message);
      received?.();
    });
    const times = [];
    for (let i = 0; i < count + WARM_UP; i++) {
      const arrived = new Promise((resolve) => (received = resolve));
      feeding.sendToQueue(inbound, Buffer.from(JSON.stringify({ i })), { persistent: true });
      await arrived;
      await sleep(1 + (i % 3)); // the handler's transaction
      const startedAt = performance.now();
      const confirmedAt = await confirmedSend(publishing, outbound, Buffer.from(JSON.stringify({ i })));
      if (i >= WARM_UP) times.push(confirmedAt - startedAt);
    }
    await publishing.deleteQueue(outbound);
    await feeding.deleteQueue(inbound);
    return percentiles(times);
  } finally {
    await Promise.allSettled([service.close(), peer.close()]);
  }
}
