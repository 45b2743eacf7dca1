// §29: the Redis read cache never serves an item older than the last write.
import { admin } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 29;
export const title = 'read-through cache, fresh after a write';

export async function run(tour) {
  const { api } = await admin(tour);
  const item = expectStatus(
    await api.items.POST('/api/v1/items', { body: { name: 'Tour plate', price: 7 } }),
    201,
    'POST item',
  );
  const path = { params: { path: { id: item.id } } };
  expectStatus(await api.items.GET('/api/v1/items/{id}', path), 200, 'the first read (fills the cache)');
  expectStatus(
    await api.items.PUT('/api/v1/items/{id}', { ...path, body: { name: 'Tour plate, large', price: 8 } }),
    200,
    'PUT',
  );
  const after = expectStatus(
    await api.items.GET('/api/v1/items/{id}', path),
    200,
    'the read after the write',
  );
  expectThat(
    after.name === 'Tour plate, large' && after.price === '8.00',
    'the read after the write saw the old item',
    after,
  );
  return 'read, write, read: the second read sees "Tour plate, large" at 8.00';
}
