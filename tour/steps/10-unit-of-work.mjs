// §10: the request's unit of work writes the order, its outbox event and the idempotency key; a repeat replays it.
import { randomUUID } from 'node:crypto';
import { customer, stockedItem } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 10;
export const title = "an order and its Idempotency-Key in the request's unit of work";

export async function run(tour) {
  const { api } = await customer(tour);
  const { item } = await stockedItem(tour, { name: 'Tour spoon', stock: 3 });
  const key = randomUUID();
  const place = (quantity) =>
    api.orders.POST('/api/v1/orders', {
      params: { header: { 'Idempotency-Key': key } },
      body: { lines: [{ itemId: item.id, quantity }] },
    });
  const first = expectStatus(await place(1), 201, 'the first POST');
  const again = await place(1);
  expectThat(
    [200, 201].includes(again.response.status),
    'the repeat was not answered',
    again.response.status,
  );
  expectThat(again.data?.id === first.id, 'the repeat placed another order', again.data);
  const other = await place(2);
  expectStatus({ response: other.response, data: other.error }, 422, 'the same key with another body');
  return `same key twice → one order ${first.id.slice(0, 8)}…; same key, other body → 422`;
}
