// (d) Poison messages in a stream of good ones: two that are not events (straight to the
// DLQ) and the order.placed of two real orders whose stock row refuses every update (a
// trigger in the suite's database), retried and then parked. The operator command lists
// them, and after the cause is gone `npm run dlq -- replay <id>` sends one back to be done.
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { orderFigures, query, waitSettled } from '../lib/checks.mjs';
import { makeCustomers, placeOrder } from '../lib/client.mjs';
import { infra } from '../lib/infra.mjs';
import { startLoad } from '../lib/load.mjs';
import * as report from '../lib/report.mjs';
import { stockedItem } from '../lib/seed.mjs';

const exec = promisify(execFile);
const dlq = async (...args) =>
  (
    await exec(process.execPath, ['scripts/dlq.mjs', ...args], {
      env: { ...process.env, RABBITMQ_URL: infra.guestBrokerUrl },
    })
  ).stdout;

async function publishGarbage() {
  const connection = await amqp.connect(infra.guestBrokerUrl);
  const channel = await connection.createConfirmChannel();
  const send = (body, messageId) =>
    channel.publish('shop.events', 'order.placed', Buffer.from(body), {
      messageId,
      persistent: true,
      type: 'order.placed',
    });
  send('{not json', 'faults-garbage-1');
  send(JSON.stringify({ id: 'faults-invalid-2', type: 'order.placed', data: {} }), 'faults-invalid-2');
  await channel.waitForConfirms();
  await connection.close();
}

const poisonTrigger = (itemId) => `
  CREATE FUNCTION inventory.faults_poison() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'fault suite: this stock row refuses updates'; END $$;
  CREATE TRIGGER faults_poison BEFORE UPDATE ON inventory.stock FOR EACH ROW
    WHEN (OLD.item_id = '${itemId}') EXECUTE FUNCTION inventory.faults_poison();`;

async function waitParked(count, timeoutMs) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (((await infra.deadLettered())['inventory.events.dlq'] ?? 0) >= count) return Date.now() - started;
    await sleep(500);
  }
  return null;
}

export async function poisonMessages({ options, token, items }) {
  report.begin('d', 'poison messages in a stream: parked after bounded retries, listed, replayed');
  const poisonItem = await stockedItem(token, 'Poisoned widget', 100);
  await infra.psql(poisonTrigger(poisonItem), infra.db);
  const customers = await makeCustomers(4, 'd');
  const [poisoner] = await makeCustomers(1, 'x');
  const parkedBefore = (await infra.deadLettered())['inventory.events.dlq'] ?? 0;
  const load = startLoad({ customers, items, ratePerSecond: 4, cancelShare: 0 });
  await publishGarbage();
  const line = [{ itemId: poisonItem, quantity: 1 }];
  const poisoned = [];
  for (let i = 0; i < 2; i++)
    poisoned.push(await placeOrder(poisoner, line, { deadline: Date.now() + 10_000 }));
  const parking = waitParked(parkedBefore + 4, options.long ? 120_000 : 40_000);
  await sleep(3000);
  const { ops } = await load.stop();
  const waited = await parking; // timed from the poison's arrival, not from the load's end
  const parkedMs = waited === null ? null : waited;
  report.check(
    'four poison messages parked in inventory.events.dlq',
    parkedMs !== null,
    `after ${parkedMs} ms`,
  );

  const listed = JSON.parse(await dlq('list', '--service', 'inventory', '--json'));
  const orderIds = poisoned.map((op) => op.order?.id);
  const parkedOrders = listed.filter((m) => orderIds.some((id) => m.content.includes(id)));
  report.check(
    '`dlq list` shows both garbage messages',
    ['faults-garbage-1', 'faults-invalid-2'].every((id) => listed.some((m) => m.id === id)),
    listed.map((m) => m.id).join(', '),
  );
  report.check(
    '`dlq list` shows both poisoned orders, each after 3 retries',
    parkedOrders.length === 2 && parkedOrders.every((m) => m.retries === 3),
    parkedOrders.map((m) => `${m.id} retries ${m.retries}`).join(', '),
  );
  report.progress((await dlq('list')).trim().split('\n').join('\n  '));

  const rest = await waitSettled(customers.map((c) => c.id));
  const figures = await orderFigures(ops, customers);
  report.check(
    'the other orders of the stream are processed',
    rest !== null && figures.completed === figures.acknowledged,
    `${figures.completed} of ${figures.acknowledged} terminal`,
  );

  await infra.psql('DROP TRIGGER faults_poison ON inventory.stock', infra.db);
  const target = parkedOrders[0]; // the DLQ's order, which need not be the order they were placed in
  const targetOrder = orderIds.find((id) => target?.content.includes(id));
  const replayOut = target ? await dlq('replay', target.id) : 'nothing to replay';
  report.progress(replayOut.trim());
  let status;
  for (let i = 0; i < 40 && status !== 'CONFIRMED'; i++) {
    await sleep(250);
    [{ status } = {}] = await query('SELECT status FROM orders.orders WHERE id = $1', [targetOrder]);
  }
  report.check('the replayed order is processed (CONFIRMED)', status === 'CONFIRMED', `status ${status}`);
  const after = JSON.parse(await dlq('list', '--service', 'inventory', '--json'));
  report.check(
    'the replayed message is gone from the DLQ, the others stay',
    target && !after.some((m) => m.id === target.id) && after.length === listed.length - 1,
    `${after.length} parked`,
  );
  if (parkedOrders[1]) await dlq('replay', parkedOrders[1].id); // leaves no order PENDING behind

  const all = [...ops, ...poisoned];
  for (const [name, value] of Object.entries(await orderFigures(all, [...customers, poisoner])))
    if (['attempted', 'acknowledged', 'completed', 'lost', 'duplicated'].includes(name))
      report.figure(name, value);
  report.figure('recovery', parkedMs === null ? 'never' : `${(parkedMs / 1000).toFixed(1)} s to park`);
  report.figure('parked', listed.length);
}
