// §31: item.created goes through the items outbox to inventory, which opens a stock row.
import { admin } from '../lib/actors.mjs';
import { eventually, expectStatus } from '../lib/expect.mjs';

export const section = 31;
export const title = 'an event through the outbox';

export async function run(tour) {
  const { api } = await admin(tour);
  const started = Date.now();
  const item = expectStatus(
    await api.items.POST('/api/v1/items', { body: { name: 'Tour bowl', price: 6 } }),
    201,
    'POST item',
  );
  const levels = await eventually(
    () => api.inventory.GET('/api/v1/inventory/{itemId}', { params: { path: { itemId: item.id } } }),
    (result) => result.response.status === 200,
    { what: 'a stock row for the new item' },
  );
  return `inventory opened {available: ${levels.data.available}, reserved: ${levels.data.reserved}} ${Date.now() - started} ms after the POST`;
}
