// §7: the items resource: create, read, replace, delete; an unknown id is a 404.
import { admin } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 7;
export const title = 'items as a REST resource';

export async function run(tour) {
  const { api } = await admin(tour);
  const created = expectStatus(
    await api.items.POST('/api/v1/items', { body: { name: 'Tour saucer', price: 4.5 } }),
    201,
    'POST /api/v1/items',
  );
  expectThat(created.price === '4.50', 'price is not the decimal string "4.50"', created.price);
  const path = { params: { path: { id: created.id } } };
  const replaced = expectStatus(
    await api.items.PUT('/api/v1/items/{id}', {
      ...path,
      body: { name: 'Tour saucer, blue', price: '5.00' },
    }),
    200,
    'PUT /api/v1/items/{id}',
  );
  expectThat(replaced.name === 'Tour saucer, blue', 'the PUT did not take', replaced);
  expectStatus(await api.items.DELETE('/api/v1/items/{id}', path), 204, 'DELETE /api/v1/items/{id}');
  expectStatus(await api.items.GET('/api/v1/items/{id}', path), 404, 'GET of the deleted item');
  return 'POST 201 (price "4.50"), PUT 200, DELETE 204, then GET 404';
}
