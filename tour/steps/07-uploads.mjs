// §7: an image upload is checked by its bytes and served back with its type and an ETag.
/* global FormData -- Node's own, as fetch is */
import { Blob } from 'node:buffer';
import { admin } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';
import { BASE_URL } from '../lib/system.mjs';

export const section = 7;
export const title = 'image upload';

// The smallest valid PNG: one transparent pixel.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export async function run(tour) {
  const { api, tokens } = await admin(tour);
  const item = expectStatus(
    await api.items.POST('/api/v1/items', { body: { name: 'Tour mug', price: 9 } }),
    201,
    'POST item',
  );
  const url = `${BASE_URL}/api/v1/items/${item.id}/image`;
  const auth = { authorization: `Bearer ${tokens.access_token}` };
  const form = (bytes, type) => {
    const body = new FormData();
    body.append('file', new Blob([bytes], { type }), 'upload');
    return body;
  };
  // Multipart bodies are sent with fetch: the client's types describe JSON bodies.
  const lie = await fetch(url, {
    method: 'PUT',
    headers: auth,
    body: form(Buffer.from('not an image'), 'image/png'),
  });
  expectThat(
    lie.status >= 400 && lie.status < 500,
    'text sent as image/png was not refused with a 4xx',
    lie.status,
  );
  const put = await fetch(url, { method: 'PUT', headers: auth, body: form(PNG, 'application/octet-stream') });
  expectStatus({ status: put.status, body: await put.text() }, 204, 'PUT image');
  const got = await fetch(url, { headers: auth });
  expectStatus({ status: got.status, body: '' }, 200, 'GET image');
  expectThat(
    got.headers.get('content-type') === 'image/png',
    'not served as image/png',
    got.headers.get('content-type'),
  );
  expectThat(got.headers.get('etag'), 'no ETag');
  return `text posing as PNG → ${lie.status}; a real PNG → 204, served as image/png with ETag ${got.headers.get('etag')}`;
}
