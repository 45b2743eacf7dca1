// §26: Prometheus metrics by route template, on the admin port only.
import { expectStatus, expectThat } from '../lib/expect.mjs';
import { ADMIN_URL, get } from '../lib/system.mjs';

export const section = 26;
export const title = 'metrics on the admin port only';

export async function run() {
  const text = expectStatus(await get('/metrics', { base: ADMIN_URL }), 200, `GET ${ADMIN_URL}/metrics`);
  const line = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{'));
  expectThat(line, 'no http_request_duration_seconds series');
  expectThat(
    !/[0-9a-f]{8}-[0-9a-f]{4}-/.test(text.match(/route="[^"]*"/g)?.join(' ') ?? ''),
    'a raw id in a route label',
  );
  const publicly = await get('/metrics');
  expectThat(publicly.status === 404, 'the public port serves /metrics', publicly.status);
  return `${line.split(' ')[0]}…; public /metrics → 404`;
}
