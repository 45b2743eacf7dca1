// §25: readiness says what the process can do now; the broker and the cache degrade it, never fail it.
import { expectStatus, expectThat } from '../lib/expect.mjs';
import { get } from '../lib/system.mjs';

export const section = 25;
export const title = 'health checks';

export async function run() {
  expectStatus(await get('/health/live'), 200, 'GET /health/live');
  const ready = expectStatus(await get('/health/ready'), 200, 'GET /health/ready');
  expectThat(ready.status === 'ok' && ready.checks, 'no status or checks', ready);
  const checks = Object.entries(ready.checks).map(([name, check]) => `${name} ${check.status}`);
  return `gateway live and ready (${checks.join(', ')})`;
}
