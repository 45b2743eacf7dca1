// §8: /api/v2/items is the same list wrapped with its total.
import { admin } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 8;
export const title = 'v1 and v2 of the items list';

export async function run(tour) {
  const { api } = await admin(tour);
  const v1 = expectStatus(
    await api.items.GET('/api/v1/items', { params: { query: { limit: 3 } } }),
    200,
    'GET v1',
  );
  const v2 = expectStatus(
    await api.items.GET('/api/v2/items', { params: { query: { limit: 3 } } }),
    200,
    'GET v2',
  );
  expectThat(Array.isArray(v1), 'v1 is not a bare array', v1);
  expectThat(
    Array.isArray(v2.data) && typeof v2.total === 'number' && v2.limit === 3,
    'v2 is not {data, total, skip, limit}',
    v2,
  );
  return `v1: an array of ${v1.length}; v2: {data: ${v2.data.length}, total: ${v2.total}, skip: ${v2.skip}, limit: ${v2.limit}}`;
}
