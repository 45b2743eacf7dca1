// (e) Notifications across gateways, and the catch-up rule: a WebSocket client on gateway
// A hears of an order placed through gateway B; when A is killed, the client reconnects
// (to B) and catches up with GET /api/v1/orders, as SPEC says pushes are at most once.
import { setTimeout as sleep } from 'node:timers/promises';
import { listOrders, makeCustomers, placeOrder } from '../lib/client.mjs';
import * as report from '../lib/report.mjs';
import * as supervisor from '../lib/supervisor.mjs';
import { PORTS } from '../lib/system.mjs';

const { WebSocket } = globalThis; // Node's own client (undici)

function connect(gateway, token) {
  const socket = new WebSocket(`ws://127.0.0.1:${PORTS[gateway]}/ws`, ['bearer', token]);
  const messages = [];
  const waiters = [];
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    messages.push(message);
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise((resolve) => socket.addEventListener('close', (event) => resolve(event.code)));
  const opened = new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', () => reject(new Error(`WebSocket to ${gateway} failed`)));
  });
  /** Resolves to the first message of `type` about `orderId`, or null after `ms`. */
  const waitFor = (type, orderId, ms = 15_000) =>
    new Promise((resolve) => {
      const find = () => messages.find((m) => m.type === type && m.data?.orderId === orderId);
      const check = () => find() && resolve(find());
      waiters.push(check);
      check();
      setTimeout(() => resolve(find() ?? null), ms);
    });
  return { socket, opened, closed, waitFor };
}

const order = (customer, items, gateway) =>
  placeOrder(
    { ...customer, gateway },
    items.map((itemId) => ({ itemId, quantity: 1 })),
    { deadline: Date.now() + 15_000 },
  );

export async function websocketCatchUp({ items }) {
  report.begin('e', 'WebSocket notifications across gateways, and catching up after a gateway dies');
  const [customer] = await makeCustomers(1, 'e');
  const onA = connect('gateway-a', customer.token);
  await onA.opened;
  const first = await order(customer, items, 'gateway-b');
  const pushed = await onA.waitFor('order.confirmed', first.order?.id);
  report.check(
    'a client on gateway A receives order.confirmed for an order placed through gateway B',
    pushed?.data?.status === 'CONFIRMED',
    JSON.stringify(pushed),
  );

  const killedAt = Date.now();
  await supervisor.signal('gateway-a', 'SIGKILL');
  const closeCode = await Promise.race([onA.closed, sleep(5000).then(() => 'still open')]);
  report.check(
    'the client sees its socket close when gateway A dies',
    closeCode !== 'still open',
    `close code ${closeCode}`,
  );
  const whileAway = await order(customer, items, 'gateway-b');
  const onB = connect('gateway-b', customer.token);
  await onB.opened;
  let caughtUp;
  for (let i = 0; i < 60 && caughtUp?.status !== 'CONFIRMED'; i++) {
    caughtUp = (await listOrders({ ...customer, gateway: 'gateway-b' })).find(
      (o) => o.id === whileAway.order?.id,
    );
    if (caughtUp?.status !== 'CONFIRMED') await sleep(250);
  }
  const recoveryMs = Date.now() - killedAt;
  report.check(
    'after reconnecting, GET /api/v1/orders shows the order placed while away, CONFIRMED',
    caughtUp?.status === 'CONFIRMED',
    `status ${caughtUp?.status ?? 'not listed'}`,
  );
  const after = await order(customer, items, 'gateway-b');
  const pushedAfter = await onB.waitFor('order.confirmed', after.order?.id);
  report.check(
    'the reconnected client receives the next notification',
    pushedAfter !== null,
    JSON.stringify(pushedAfter),
  );
  onB.socket.close();
  supervisor.start('gateway-a');
  await supervisor.waitReady('gateway-a');

  const placed = [first, whileAway, after];
  report.figure('attempted', placed.length);
  report.figure('acknowledged', placed.filter((op) => op.order).length);
  report.figure('completed', [pushed, caughtUp, pushedAfter].filter(Boolean).length);
  report.figure('lost', placed.length - [pushed, caughtUp, pushedAfter].filter(Boolean).length);
  report.figure('duplicated', 0);
  report.figure('recovery', `${(recoveryMs / 1000).toFixed(1)} s to catch up`);
}
