// §30: Swagger UI for the whole system at /docs.
import { expectStatus, expectThat } from '../lib/expect.mjs';
import { get } from '../lib/system.mjs';

export const section = 30;
export const title = 'API documentation';

export async function run() {
  const { status, headers, body } = await get('/docs');
  expectStatus({ status, body }, 200, 'GET /docs');
  expectThat(headers.get('content-type')?.startsWith('text/html'), 'not HTML', headers.get('content-type'));
  expectThat(/swagger/i.test(body), 'not Swagger UI');
  return '/docs serves Swagger UI';
}
