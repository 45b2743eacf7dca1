// §16: a valid token without the route's scope is a 403; the customer holds only their own scopes.
import { randomUUID } from 'node:crypto';
import { customer } from '../lib/actors.mjs';
import { expectStatus } from '../lib/expect.mjs';

export const section = 16;
export const title = 'scopes';

export async function run(tour) {
  const { api } = await customer(tour);
  const write = await api.items.POST('/api/v1/items', { body: { name: 'Not mine to add', price: 1 } });
  expectStatus({ response: write.response, data: write.error }, 403, 'a customer creating an item');
  const stock = await api.inventory.GET('/api/v1/inventory/{itemId}', {
    params: { path: { itemId: randomUUID() } },
  });
  expectStatus({ response: stock.response, data: stock.error }, 403, 'a customer reading stock');
  return 'customer → 403 on POST /api/v1/items (items:write) and GET /api/v1/inventory/{id} (inventory:read)';
}
