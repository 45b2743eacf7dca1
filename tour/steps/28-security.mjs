// §28: the edge: security headers, and no path spelling reaches a service's /metrics.
import { admin } from '../lib/actors.mjs';
import { expectThat } from '../lib/expect.mjs';
import { get } from '../lib/system.mjs';

export const section = 28;
export const title = 'security at the edge';

const TRICKS = [
  '/api/v1/items/../../metrics',
  '/api/v1/items/%2e%2e/%2e%2e/metrics',
  '/api/v1/items//..//..//metrics',
];

export async function run(tour) {
  const { tokens } = await admin(tour);
  const headers = { authorization: `Bearer ${tokens.access_token}` };
  const answers = [];
  for (const path of TRICKS) {
    const { status, body } = await get(path, { headers });
    expectThat(status >= 400 && status < 500, `${path} was not refused with a 4xx`, status);
    expectThat(!String(JSON.stringify(body)).includes('process_cpu'), `${path} reached a /metrics`, body);
    answers.push(status);
  }
  const { headers: sent } = await get('/health/live');
  expectThat(sent.get('x-content-type-options') === 'nosniff', 'no X-Content-Type-Options: nosniff');
  return `${TRICKS.length} spellings of ../metrics → ${answers.join(', ')}; nosniff is set`;
}
