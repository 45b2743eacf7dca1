// npm run dlq -- list [--service inventory] [--json]
// npm run dlq -- show <id>
// npm run dlq -- replay <id>
// What the services parked in their dead-letter queues, and sending one back. Connects as
// RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672, the vhost in its path), a user
// that may read the DLQs and publish to the services' direct exchanges.
import { parseArgs } from 'node:util';
import { listParked, replay, SERVICES } from './lib/dlq.mjs';

const USAGE = 'usage: npm run dlq -- list [--service <name>] [--json] | show <id> | replay <id>';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { service: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const [command, id] = positionals;
const url = process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672';
const services = values.service ? [values.service] : SERVICES;

const oneLine = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text).replace(/\s+/g, ' ');

async function main() {
  if (command === 'list') {
    const parked = await listParked(url, services);
    if (values.json) return console.log(JSON.stringify(parked, null, 2));
    if (parked.length === 0) return console.log('No parked messages.');
    console.log(`${parked.length} parked message(s):`);
    for (const m of parked)
      console.log(
        `  ${m.service.padEnd(9)} ${m.id.padEnd(36)} ${String(m.type).padEnd(20)} retries ${m.retries}  ${m.reason}  ${oneLine(m.content, 60)}`,
      );
    console.log('Replay one with: npm run dlq -- replay <id>');
  } else if (command === 'show' && id) {
    const found = (await listParked(url, services)).find((m) => m.id === id);
    if (!found) throw new Error(`no parked message ${id} (npm run dlq -- list shows them)`);
    console.log(JSON.stringify(found, null, 2));
  } else if (command === 'replay' && id) {
    const replayed = await replay(url, id, services);
    if (!replayed) throw new Error(`no parked message ${id} (npm run dlq -- list shows them)`);
    console.log(
      `Replayed ${replayed.type} ${replayed.id} to ${replayed.service}.events; removed from the DLQ.`,
    );
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

main().catch((error) => {
  console.error(`dlq: ${error.message}`);
  if (/ECONNREFUSED|ACCESS_REFUSED/.test(error.message))
    console.error('Is RabbitMQ running, and does RABBITMQ_URL name a user of the right vhost?');
  process.exitCode = 1;
});
