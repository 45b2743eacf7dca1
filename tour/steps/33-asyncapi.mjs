// §33: the AsyncAPI 3.0 document of every event, served by the gateway.
import { expectStatus, expectThat } from '../lib/expect.mjs';
import { get } from '../lib/system.mjs';

export const section = 33;
export const title = 'the AsyncAPI document';

export async function run() {
  const document = expectStatus(await get('/asyncapi.json'), 200, 'GET /asyncapi.json');
  expectThat(document.asyncapi === '3.0.0', 'not AsyncAPI 3.0.0', document.asyncapi);
  const channels = Object.keys(document.channels ?? {});
  expectThat(
    JSON.stringify(document.channels).includes('order.placed'),
    'no channel for order.placed',
    channels,
  );
  return `AsyncAPI ${document.asyncapi}, ${channels.length} channels`;
}
