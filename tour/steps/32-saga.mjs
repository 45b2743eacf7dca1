// §32: the order saga end to end: confirmed, rejected for stock, cancelled (stock released),
// each announced on the owner's socket.
import { admin, customer, customerSocket, stockedItem } from '../lib/actors.mjs';
import { eventually, expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 32;
export const title = 'the order saga';

export async function run(tour) {
  const { api } = await customer(tour);
  const socket = await customerSocket(tour);
  const staff = (await admin(tour)).api;
  const { item } = await stockedItem(tour, { name: 'Tour teapot', price: '30.00', stock: 2 });
  const place = (quantity) =>
    api.orders.POST('/api/v1/orders', { body: { lines: [{ itemId: item.id, quantity }] } });
  const pushFor = (order, type) =>
    socket.waitFor((m) => m.type === type && m.data?.orderId === order.id, 15_000, `${type} for ${order.id}`);

  const confirmed = expectStatus(await place(2), 201, 'placing 2 of 2 in stock');
  expectThat(
    confirmed.status === 'PENDING' && confirmed.total === '60.00',
    'not PENDING at 60.00',
    confirmed,
  );
  await pushFor(confirmed, 'order.confirmed');

  const rejected = expectStatus(await place(1), 201, 'placing 1 more than is left');
  const rejectPush = await pushFor(rejected, 'order.rejected');
  const read = expectStatus(
    await api.orders.GET('/api/v1/orders/{id}', { params: { path: { id: rejected.id } } }),
    200,
    'GET rejected',
  );
  expectThat(read.status === 'REJECTED' && read.rejectReason, 'not REJECTED with a reason', read);

  const cancelled = expectStatus(
    await api.orders.POST('/api/v1/orders/{id}/cancel', { params: { path: { id: confirmed.id } } }),
    200,
    'cancelling the confirmed order',
  );
  expectThat(cancelled.status === 'CANCELLED', 'not CANCELLED', cancelled);
  await pushFor(confirmed, 'order.cancelled');
  const stock = await eventually(
    () => staff.inventory.GET('/api/v1/inventory/{itemId}', { params: { path: { itemId: item.id } } }),
    (result) => result.data?.available === 2 && result.data?.reserved === 0,
    { what: 'the 2 units back in stock' },
  );
  return `confirmed, rejected (${read.rejectReason ?? rejectPush.data.status}), cancelled → 3 pushes; stock back to ${stock.data.available}`;
}
