// The event-bus throughput phase, in a process of its own so that its CPU and memory are not
// the bench script's. The bench sends `{ run: 'plain' | 'inbox' | 'bus', count }` and gets back
// `{ seconds }` (or `{ error }`); `{ run: 'close' }` ends it. ADMIN_URL is the bench's
// database as its owner, BROKER_URL the bench's vhost.
import { randomUUID } from 'node:crypto';
import { eventBus, orderPlaced } from './event-bus.mjs';
import { inboxFloor } from './inbox-floor.mjs';
import { plainThroughput } from './plain-amqp.mjs';

const { ADMIN_URL: adminUrl, BROKER_URL: brokerUrl } = process.env;
// The plain run carries a message of the size of a published order.placed envelope.
const content = Buffer.from(
  JSON.stringify({
    id: randomUUID(),
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'orders',
    correlationId: randomUUID(),
    ...orderPlaced(),
  }),
);
const bus = await eventBus({ adminUrl, brokerUrl });

process.on('message', async ({ run, count }) => {
  if (run === 'close') {
    await bus.close();
    process.exit(0);
  }
  try {
    const runs = {
      plain: () => plainThroughput(brokerUrl, count, content),
      inbox: () => inboxFloor(adminUrl, count),
      bus: () => bus.run(count),
    };
    const seconds = await runs[run]();
    process.send({ seconds });
  } catch (error) {
    process.send({ error: error.stack ?? String(error) });
  }
});
process.send({ ready: true });
