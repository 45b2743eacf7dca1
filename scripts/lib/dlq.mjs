// Reading and replaying what the services parked in their dead-letter queues
// (`<service>.events.dlq`). Browsing takes every message without acknowledging
// it and closes the channel, which puts them all back.
import { createHash } from 'node:crypto';
import amqp from 'amqplib';

export const SERVICES = ['users', 'items', 'orders', 'inventory'];
const BROWSE_LIMIT = 1000;

/** A parked message's id: its event's id, else its AMQP message id, else a hash of its bytes. */
function idOf(message) {
  try {
    const id = JSON.parse(message.content.toString('utf8')).id;
    if (typeof id === 'string' && id) return id;
  } catch {
    // not JSON: fall through
  }
  return (
    message.properties.messageId ?? createHash('sha256').update(message.content).digest('hex').slice(0, 16)
  );
}

function describe(service, message) {
  const deaths = message.properties.headers?.['x-death'] ?? [];
  // The n-th retry waits in `<service>.events.retry.<n>`: the highest n it expired from.
  const retries = Math.max(0, ...deaths.map((d) => Number(/\.retry\.(\d+)$/.exec(d.queue ?? '')?.[1] ?? 0)));
  const last = message.properties.headers?.['x-last-death-reason'] ?? deaths[0]?.reason;
  return {
    service,
    id: idOf(message),
    type: message.properties.type ?? message.fields.routingKey,
    retries,
    reason: last ?? 'rejected',
    bytes: message.content.length,
    content: message.content.toString('utf8'),
    headers: message.properties.headers ?? {},
  };
}

/** Opens a channel per service whose DLQ exists; `visit(service, channel, queue)` for each. */
async function eachQueue(url, services, visit) {
  const connection = await amqp.connect(url);
  try {
    for (const service of services) {
      const queue = `${service}.events.dlq`;
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined); // a missing queue closes the channel: skipped
      const exists = await channel.checkQueue(queue).then(
        () => true,
        () => false,
      );
      if (!exists) continue;
      try {
        if ((await visit(service, channel, queue)) === 'stop') break;
      } finally {
        await channel.close().catch(() => undefined);
      }
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function browse(channel, queue) {
  const messages = [];
  for (let i = 0; i < BROWSE_LIMIT; i++) {
    const message = await channel.get(queue, { noAck: false });
    if (!message) break;
    messages.push(message);
  }
  return messages;
}

/** Every parked message of `services`, described (the queues are left as they were). */
export async function listParked(url, services = SERVICES) {
  const parked = [];
  await eachQueue(url, services, async (service, channel, queue) => {
    for (const message of await browse(channel, queue)) parked.push(describe(service, message));
  });
  return parked;
}

/**
 * Sends the parked message `id` back to its service's queue (through the service's direct
 * exchange, so no other subscriber sees it again) as a first attempt, and removes it from
 * the DLQ once the broker has confirmed the copy. Resolves to its description, or null.
 */
export async function replay(url, id, services = SERVICES) {
  let replayed = null;
  await eachQueue(url, services, async (service, channel, queue) => {
    const messages = await browse(channel, queue);
    const found = messages.find((message) => idOf(message) === id);
    if (!found) return;
    const headers = Object.fromEntries(
      Object.entries(found.properties.headers ?? {}).filter(
        ([name]) => !/^x-(death|first-death|last-death|delivery-count)/.test(name),
      ),
    );
    const { properties } = found;
    channel.publish(`${service}.events.direct`, `${service}.events`, found.content, {
      messageId: properties.messageId,
      type: properties.type,
      contentType: properties.contentType,
      correlationId: properties.correlationId,
      timestamp: properties.timestamp,
      headers: { ...headers, 'x-replayed-from': queue },
      persistent: true,
    });
    await channel.waitForConfirms();
    channel.ack(found);
    replayed = describe(service, found);
    return 'stop';
  });
  return replayed;
}
