// §2: skip/limit are one class (PageQuery) every list shares, checked before the handler runs.
import { admin } from '../lib/actors.mjs';
import { expectProblemNaming, expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 2;
export const title = 'shared paging parameters';

export async function run(tour) {
  const { api } = await admin(tour);
  const page = expectStatus(
    await api.items.GET('/api/v1/items', { params: { query: { skip: 0, limit: 2 } } }),
    200,
    'GET /api/v1/items?skip=0&limit=2',
  );
  expectThat(Array.isArray(page) && page.length <= 2, 'the page is not an array of at most 2', page);
  expectProblemNaming(
    await api.items.GET('/api/v1/items', { params: { query: { limit: 101 } } }),
    400,
    'limit',
    'GET /api/v1/items?limit=101',
  );
  return `a page of ${page.length}; limit=101 → 400 naming limit`;
}
