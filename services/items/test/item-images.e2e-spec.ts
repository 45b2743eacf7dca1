import { createHash } from 'node:crypto';
import { gif, jpeg, multipart, png, webp } from './support/images.fixture';
import { bearer, ItemsApp, startItemsApp } from './support/items-app.fixture';

const MiB = 1024 * 1024;

describe('item images', () => {
  let items: ItemsApp;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    items = await startItemsApp();
    writer = await items.tokens.token(['items:read', 'items:write']);
    reader = await items.tokens.token(['items:read']);
  });
  afterAll(() => items.close());

  const createItem = async () =>
    (
      await items.app.inject({
        method: 'POST',
        url: '/api/v1/items',
        headers: bearer(writer),
        payload: { name: 'Cup', price: 1 },
      })
    ).json();
  const upload = (id: string, bytes: Buffer, contentType?: string, token = writer, field = 'file') => {
    const body = multipart([{ field, bytes, contentType }]);
    return items.app.inject({
      method: 'PUT',
      url: `/api/v1/items/${id}/image`,
      headers: { ...bearer(token), ...body.headers },
      payload: body.payload,
    });
  };
  const download = (id: string, headers: Record<string, string> = {}) =>
    items.app.inject({
      method: 'GET',
      url: `/api/v1/items/${id}/image`,
      headers: { ...bearer(reader), ...headers },
    });
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  it.each([
    ['a PNG', png(), 'image/png'],
    ['a JPEG', jpeg(), 'image/jpeg'],
    ['a GIF', gif(), 'image/gif'],
    ['a WebP', webp(), 'image/webp'],
  ])('stores %s and serves it back with the type its bytes show', async (_case, bytes, type) => {
    const { id } = await createItem();
    // The declared type is deliberately wrong: only the bytes count.
    expect((await upload(id, bytes, 'application/octet-stream')).statusCode).toBe(204);
    const res = await download(id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers.etag).toBe(`"${sha256(bytes)}"`);
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });

  it('refuses a text file that claims to be a PNG with a 415', async () => {
    const { id } = await createItem();
    const res = await upload(id, Buffer.from('just some text, not an image'), 'image/png');
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await download(id)).statusCode).toBe(404);
  });

  it('accepts exactly 1 MiB and refuses one byte more with a 413', async () => {
    const { id } = await createItem();
    expect((await upload(id, png(MiB))).statusCode).toBe(204);
    const tooBig = await upload(id, png(MiB + 1));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.headers['content-type']).toContain('application/problem+json');
    expect((await download(id)).rawPayload.length).toBe(MiB);
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const { id } = await createItem();
    await upload(id, png());
    const etag = (await download(id)).headers.etag as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await download(id, { 'if-none-match': ifNoneMatch });
      expect([ifNoneMatch, res.statusCode]).toEqual([ifNoneMatch, 304]);
      expect(res.rawPayload.length).toBe(0);
      expect(res.headers.etag).toBe(etag);
    }
    expect((await download(id, { 'if-none-match': '"something-else"' })).statusCode).toBe(200);
  });

  it('replaces an image, which changes its ETag and moves the item on', async () => {
    const { id, updatedAt } = await createItem();
    await items.app.inject({ method: 'GET', url: `/api/v1/items/${id}`, headers: bearer(reader) }); // cached now
    await upload(id, png());
    const first = await download(id);
    await upload(id, gif());
    const second = await download(id, { 'if-none-match': first.headers.etag as string });
    expect(second.statusCode).toBe(200);
    expect(second.headers['content-type']).toBe('image/gif');

    // Each image change is a new version of the item: the cached v1 made way for v3's tombstone.
    expect(await items.redis.get(`item:v1:${id}`)).toBe('3|');
    const item = (
      await items.app.inject({ method: 'GET', url: `/api/v1/items/${id}`, headers: bearer(reader) })
    ).json();
    expect(new Date(item.updatedAt) > new Date(updatedAt)).toBe(true);
  });

  it('answers 404 for an item without an image and for an unknown item, 400 for a bad id', async () => {
    const { id } = await createItem();
    expect((await download(id)).json()).toMatchObject({ status: 404, code: 'ITEM.IMAGE_NOT_FOUND' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await download(unknown)).json()).toMatchObject({ status: 404, code: 'ITEM.NOT_FOUND' });
    expect((await upload(unknown, png())).json()).toMatchObject({ status: 404, code: 'ITEM.NOT_FOUND' });
    expect((await download('nope')).statusCode).toBe(400);
    expect((await upload('nope', png())).statusCode).toBe(400);
  });

  it('deletes the image with its item', async () => {
    const { id } = await createItem();
    await upload(id, png());
    await items.app.inject({ method: 'DELETE', url: `/api/v1/items/${id}`, headers: bearer(writer) });
    expect((await download(id)).json()).toMatchObject({ code: 'ITEM.NOT_FOUND' });
  });

  it('needs items:write to upload and items:read to download', async () => {
    const { id } = await createItem();
    expect((await upload(id, png(), 'image/png', reader)).statusCode).toBe(403);
    const anonymous = await items.app.inject({ method: 'GET', url: `/api/v1/items/${id}/image` });
    expect(anonymous.statusCode).toBe(401);
    const writeOnly = await items.tokens.token(['items:write']);
    expect((await download(id, bearer(writeOnly))).statusCode).toBe(403);
  });

  it('refuses malformed uploads with a 400', async () => {
    const { id } = await createItem();
    const url = `/api/v1/items/${id}/image`;
    const send = (payload: Buffer | string, contentType: string) =>
      items.app.inject({
        method: 'PUT',
        url,
        headers: { ...bearer(writer), 'content-type': contentType },
        payload,
      });

    const wrongField = await upload(id, png(), 'image/png', writer, 'picture');
    expect(wrongField.statusCode).toBe(400);
    const twoFiles = multipart([
      { field: 'file', bytes: png() },
      { field: 'file', bytes: gif() },
    ]);
    expect((await send(twoFiles.payload, twoFiles.headers['content-type'])).statusCode).toBe(400);
    const empty = multipart([{ field: 'file', bytes: Buffer.alloc(0) }]);
    expect((await send(empty.payload, empty.headers['content-type'])).statusCode).toBe(400);
    expect((await send('--x\r\ngarbage', 'multipart/form-data; boundary=x')).statusCode).toBe(400);
    expect((await send('', 'multipart/form-data')).statusCode).toBe(400);
    expect((await send('{"file":"aGk="}', 'application/json')).statusCode).toBe(400);
    expect((await download(id)).statusCode).toBe(404);
  });
});
