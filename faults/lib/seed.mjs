// What every scenario starts from: the admin's token and stocked items.
import { setTimeout as sleep } from 'node:timers/promises';
import { call, login } from './client.mjs';
import { ADMIN } from './system.mjs';

export const STOCK = 1_000_000;

export async function adminToken() {
  return login(ADMIN.username, ADMIN.password);
}

/** Creates an item and gives it `stock` (its stock row comes with item.created). */
export async function stockedItem(token, name, stock = STOCK) {
  const item = await call('gateway-a', 'POST', '/api/v1/items', {
    token,
    json: { name, description: 'for the fault suite', price: '4.20', tax: '0.80' },
  });
  if (item.status !== 201) throw new Error(`item not created: ${item.status} ${JSON.stringify(item.body)}`);
  const { id } = item.body;
  for (let attempt = 0; attempt < 100; attempt++) {
    const adjusted = await call('gateway-a', 'POST', `/api/v1/inventory/${id}/adjustments`, {
      token,
      json: { delta: stock, reason: 'fault suite stock' },
    });
    if (adjusted.status === 200 || adjusted.status === 201) return id;
    await sleep(100);
  }
  throw new Error(`no stock row for item ${id} after 10 s (item.created not consumed by inventory?)`);
}
