// (c) A relay killed again and again while it publishes a backlog: the orders outbox fills
// while its broker is cut, then both orders replicas (two relays on one outbox) are
// SIGKILLed in turn as they drain it. Every committed event must reach inventory once.
import { setTimeout as sleep } from 'node:timers/promises';
import { orderFigures, query, stockFigures, waitSettled } from '../lib/checks.mjs';
import { makeCustomers, placeOrder } from '../lib/client.mjs';
import * as faults from '../lib/faults.mjs';
import { counter } from '../lib/metrics.mjs';
import * as report from '../lib/report.mjs';
import * as supervisor from '../lib/supervisor.mjs';
import { REPLICAS } from '../lib/system.mjs';

const unpublished = async () =>
  Number((await query(`SELECT count(*) AS n FROM orders.outbox WHERE published_at IS NULL`))[0].n);

export async function relayKills({ options, items }) {
  report.begin('c', 'relays killed while they publish a backlog');
  const customers = await makeCustomers(8, 'c');
  const backlog = options.long ? 1200 : 300;
  const kills = options.long ? 10 : 4;
  faults.cutBrokerFor('orders');
  report.progress(`orders' broker cut; placing ${backlog} orders into the outbox…`);
  const ops = [];
  for (let i = 0; i < backlog; i += customers.length) {
    const batch = customers.flatMap((customer, k) =>
      i + k < backlog
        ? [
            placeOrder(
              customer,
              items.map((itemId) => ({ itemId, quantity: 1 })),
              { deadline: Date.now() + 20_000 },
            ),
          ]
        : [],
    );
    ops.push(...(await Promise.all(batch)));
  }
  const events = (await query(`SELECT id FROM orders.outbox WHERE published_at IS NULL`)).map(
    (row) => row.id,
  );
  const duplicatesBefore = await counter(REPLICAS.inventory, 'events_consumed_total', {
    outcome: 'duplicate',
  });
  report.progress(
    `${events.length} events waiting in orders.outbox; broker back, killing relays as they publish`,
  );

  faults.restoreBrokerFor('orders');
  const atKill = [];
  for (let k = 0; k < kills; k += 2) {
    // Both relays die the moment the backlog starts to shrink: mid-publish, not before it.
    const before = await unpublished();
    for (let i = 0; i < 500 && (await unpublished()) === before && before > 0; i++) await sleep(10);
    for (const name of REPLICAS.orders) {
      atKill.push(await unpublished());
      await supervisor.signal(name, 'SIGKILL');
      supervisor.start(name);
    }
    await Promise.all(REPLICAS.orders.map((replica) => supervisor.waitReady(replica)));
  }
  await Promise.all(REPLICAS.orders.map((replica) => supervisor.waitReady(replica)));
  report.progress(`unpublished events at each kill: ${atKill.join(', ')}`);

  const settledMs = await waitSettled(
    customers.map((c) => c.id),
    60_000,
  );
  const delivered = await query(
    `SELECT count(*) AS n FROM inventory.inbox WHERE event_id = ANY($1::uuid[]) AND consumer = 'inventory.events'`,
    [events],
  );
  const duplicates =
    (await counter(REPLICAS.inventory, 'events_consumed_total', { outcome: 'duplicate' })) - duplicatesBefore;
  const figures = await orderFigures(ops, customers);
  for (const name of ['attempted', 'acknowledged', 'completed', 'lost', 'duplicated'])
    report.figure(name, figures[name]);
  report.figure('recovery', settledMs === null ? 'never' : `${(settledMs / 1000).toFixed(1)} s to drain`);
  report.figure('backlog events', events.length);
  report.figure('duplicate deliveries absorbed', duplicates);
  report.check(
    'the backlog drains (no unpublished event, no PENDING order)',
    settledMs !== null,
    `${await unpublished()} unpublished`,
  );
  report.check(
    'every committed event is delivered to inventory (in its inbox)',
    Number(delivered[0].n) === events.length,
    `${delivered[0].n} of ${events.length}`,
  );
  report.check(
    'at least one relay was killed with events still unpublished',
    atKill.some((n) => n > 0),
    atKill.join(', '),
  );
  report.check(
    'every acknowledged order is terminal',
    figures.notTerminal === 0 && figures.completed === figures.acknowledged,
    `${figures.completed} of ${figures.acknowledged} terminal`,
  );
  const badStock = await stockFigures(items);
  report.check(
    'duplicates change no stock (available + reserved and reserved still add up)',
    badStock.length === 0,
    JSON.stringify(badStock),
  );
}
