// `npm run demo`: a minute in the life of the shop, against a running system (npm start).
// Seeds two customers, three items and their stock, places three orders (one confirmed,
// one rejected for lack of stock, one cancelled), sends an announcement, and prints each
// step and every WebSocket message the moment it arrives.
//
//   TOUR_URL=http://127.0.0.1:8080  the gateway (default)
import { setTimeout as sleep } from 'node:timers/promises';
import { style } from '../scripts/lib/run.mjs';
import { admin, stockedItem } from './lib/actors.mjs';
import { openSocket } from './lib/socket.mjs';
import { BASE_URL, newCustomer } from './lib/system.mjs';

const started = Date.now();
const clock = () => style('dim', `+${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(7));
const say = (text) => console.log(`${clock()} ${text}`);
const step = (text) => console.log(`\n${clock()} ${style('bold', `▸ ${text}`)}`);

/** Prints every push a socket receives, tagged with whose socket it is. */
const listen = (who) => (message) =>
  say(`${style('cyan', `⇠ ${who}'s socket`)} ${message.type} ${JSON.stringify(message.data)}`);

const demo = { cleanups: [] };
try {
  await fetch(`${BASE_URL}/health/ready`);
} catch {
  console.error(
    `Nothing answers at ${BASE_URL}: start the system (npm start) or set TOUR_URL, then run the demo again.`,
  );
  process.exit(1);
}

await main().catch((error) => {
  console.error(
    `\n${style('red', `✖ ${error.message}`)}\nIs the whole system up (npm start printed "Shop is ready.")?`,
  );
  process.exit(1);
});

async function main() {
  step(`The shop at ${BASE_URL}: the admin logs in, two customers register`);
  const staff = await admin(demo);
  const ada = await newCustomer('ada');
  const bob = await newCustomer('bob');
  say(`admin holds: ${staff.tokens.scope}`);
  say(`${ada.username} and ${bob.username} registered; each holds: ${ada.tokens.scope}`);

  step('Everyone opens a WebSocket to /ws (the access token as the subprotocol)');
  const sockets = [
    await openSocket({ token: staff.tokens.access_token, onMessage: listen('admin') }),
    await openSocket({ token: ada.tokens.access_token, onMessage: listen(ada.username) }),
    await openSocket({ token: bob.tokens.access_token, onMessage: listen(bob.username) }),
  ];
  const [, adaSocket, bobSocket] = sockets;
  say('three sockets open');

  step(
    'The admin adds three items; inventory opens a stock row for each (item.created) and the admin stocks them',
  );
  const stock = { cup: 3, pot: 1, tray: 2 };
  const items = {};
  for (const [key, [name, price]] of Object.entries({
    cup: ['Espresso cup', '12.50'],
    pot: ['Teapot', '30.00'],
    tray: ['Tray', '8.00'],
  })) {
    const { item, levels } = await stockedItem(demo, { name, price, stock: stock[key] });
    items[key] = item;
    say(`${name} at ${item.price}: ${levels.available} available (${item.id})`);
  }

  const waitFor = (socket, order, type) =>
    socket.waitFor(
      (m) => m.type === type && m.data?.orderId === order.id,
      15_000,
      `${type} for order ${order.id}`,
    );

  step(`${ada.username} orders 2 espresso cups and a tray: there is stock for both`);
  const first = await ada.api.orders.POST('/api/v1/orders', {
    body: {
      lines: [
        { itemId: items.cup.id, quantity: 2 },
        { itemId: items.tray.id, quantity: 1 },
      ],
    },
  });
  say(`POST /api/v1/orders → ${first.response.status}, ${first.data.status}, total ${first.data.total}`);
  say('orders wrote order.placed to its outbox; inventory reserves every line or none…');
  await waitFor(adaSocket, first.data, 'order.confirmed');

  step(`${bob.username} orders 2 teapots, but only 1 is in stock`);
  const second = await bob.api.orders.POST('/api/v1/orders', {
    body: { lines: [{ itemId: items.pot.id, quantity: 2 }] },
  });
  say(`POST /api/v1/orders → ${second.response.status}, ${second.data.status}`);
  await waitFor(bobSocket, second.data, 'order.rejected');
  const rejected = await bob.api.orders.GET('/api/v1/orders/{id}', {
    params: { path: { id: second.data.id } },
  });
  say(`GET the order → ${rejected.data.status}, reason ${rejected.data.rejectReason}`);

  step(`${bob.username} orders the last teapot, then changes his mind and cancels`);
  const third = await bob.api.orders.POST('/api/v1/orders', {
    body: { lines: [{ itemId: items.pot.id, quantity: 1 }] },
  });
  say(`POST /api/v1/orders → ${third.response.status}, ${third.data.status}`);
  await waitFor(bobSocket, third.data, 'order.confirmed');
  const cancelled = await bob.api.orders.POST('/api/v1/orders/{id}/cancel', {
    params: { path: { id: third.data.id } },
  });
  say(
    `POST /api/v1/orders/{id}/cancel → ${cancelled.response.status}, ${cancelled.data.status} (${cancelled.data.cancelReason})`,
  );
  await waitFor(bobSocket, third.data, 'order.cancelled');
  await sleep(500); // inventory releases on order.cancelled
  const pot = await staff.api.inventory.GET('/api/v1/inventory/{itemId}', {
    params: { path: { itemId: items.pot.id } },
  });
  say(`the teapot's stock after the release: ${pot.data.available} available, ${pot.data.reserved} reserved`);

  step('The admin sends an announcement to every open socket');
  const message = 'The shop closes at six today.';
  const announced = await fetch(`${BASE_URL}/api/v1/announcements`, {
    method: 'POST',
    headers: { authorization: `Bearer ${staff.tokens.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
  });
  say(`POST /api/v1/announcements → ${announced.status}`);
  if (announced.ok) {
    await Promise.all(
      sockets.map((socket) => socket.waitFor((m) => m.type === 'announcement', 10_000, 'the announcement')),
    );
  } else {
    say(style('yellow', 'no announcement: this system has no POST /api/v1/announcements yet'));
  }

  step('Where it all went');
  for (const [key, item] of Object.entries(items)) {
    const levels = await staff.api.inventory.GET('/api/v1/inventory/{itemId}', {
      params: { path: { itemId: item.id } },
    });
    say(
      `${item.name.padEnd(13)} ${levels.data.available} available, ${levels.data.reserved} reserved (of ${stock[key]})`,
    );
  }
  say(`${sockets.reduce((sum, socket) => sum + socket.messages.length, 0)} WebSocket messages in all`);
  for (const socket of sockets) socket.close();
}
