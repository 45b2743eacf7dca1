// §14: @CurrentUser() hands the handler the caller the guard verified.
import { customer } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 14;
export const title = '@CurrentUser() and @RequestId()';

export async function run(tour) {
  const { api, username } = await customer(tour);
  const me = expectStatus(
    await api.users.GET('/api/v1/users/me', { headers: { 'x-request-id': 'tour-me-1' } }),
    200,
    'GET /api/v1/users/me',
  );
  expectThat(me.username === username, '/users/me is not the caller', me);
  const echoed = await api.users.GET('/api/v1/users/me', { headers: { 'x-request-id': 'tour-me-1' } });
  const id = echoed.response.headers.get('x-request-id');
  expectThat(id === 'tour-me-1', 'the request id was not kept', id);
  const bad = await api.users.GET('/api/v1/users/me', { headers: { 'x-request-id': 'no spaces allowed' } });
  const replaced = bad.response.headers.get('x-request-id');
  expectThat(replaced && replaced !== 'no spaces allowed', 'a malformed request id was kept', replaced);
  return `/users/me is ${me.username} (scopes ${me.scopes.join(' ')}); x-request-id kept, a malformed one replaced`;
}
