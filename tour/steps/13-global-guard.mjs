// §13: one guard on every route; @Public() is the exception, not the rule.
import { expectStatus } from '../lib/expect.mjs';
import { anonymous } from '../lib/system.mjs';

export const section = 13;
export const title = 'a global guard';

export async function run() {
  const api = anonymous();
  const refused = await api.items.GET('/api/v1/items', {});
  expectStatus({ response: refused.response, data: refused.error }, 401, 'GET /api/v1/items without a token');
  const keys = expectStatus(await api.users.GET('/.well-known/jwks.json', {}), 200, 'the public JWKS');
  return `no token → 401 on items; the @Public() JWKS → 200 with ${keys.keys?.length ?? 0} key(s)`;
}
