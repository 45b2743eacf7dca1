// The people and things several steps share, made on first use and kept on the tour object,
// so each step can run alone (TOUR_ONLY=…) and still find an admin, a customer or an item.
import { newCustomer, signInAdmin } from './system.mjs';
import { openSocket } from './socket.mjs';

const once = (tour, key, make) => (tour[key] ??= make());

export const admin = (tour) => once(tour, 'adminPromise', signInAdmin);
export const customer = (tour) => once(tour, 'customerPromise', () => newCustomer('tour'));

/** The customer's socket, open for the whole tour, so pushes to them can be awaited. */
export const customerSocket = (tour) =>
  once(tour, 'socketPromise', async () => {
    const socket = await openSocket({ token: (await customer(tour)).tokens.access_token });
    tour.cleanups.push(async () => socket.close());
    return socket;
  });

/** Creates an item as the admin and stocks it with `stock` units once inventory knows it. */
export async function stockedItem(tour, { name = 'Tour cup', price = '12.50', stock = 5 } = {}) {
  const { api } = await admin(tour);
  const created = await api.items.POST('/api/v1/items', { body: { name, price } });
  if (created.response.status !== 201)
    throw new Error(`creating an item: ${created.response.status} ${JSON.stringify(created.error)}`);
  const item = created.data;
  // The stock row appears when inventory consumes item.created: wait for it, then adjust.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const adjusted = await api.inventory.POST('/api/v1/inventory/{itemId}/adjustments', {
      params: { path: { itemId: item.id } },
      body: { delta: stock, reason: 'stocked by the tour' },
    });
    if (adjusted.response.status === 200 || adjusted.response.status === 201)
      return { item, levels: adjusted.data };
    if (Date.now() > deadline)
      throw new Error(`stocking ${item.id}: ${adjusted.response.status} ${JSON.stringify(adjusted.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
