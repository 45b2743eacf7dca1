import { Client } from 'pg';
import { multipart, png } from './support/images.fixture';
import { bearer, ItemsApp, startItemsApp } from './support/items-app.fixture';

describe('the items API', () => {
  let items: ItemsApp;
  let writer: string;
  let reader: string;
  const writerId = '6f0c7c52-3c3f-4f55-9a0e-5f4a8f3b2c11';

  beforeAll(async () => {
    items = await startItemsApp();
    writer = await items.tokens.token(['items:read', 'items:write'], writerId);
    reader = await items.tokens.token(['items:read']);
  });
  afterAll(() => items.close());

  type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
  const call = (method: Method, url: string, token = writer, payload?: unknown) =>
    items.app.inject({
      method,
      url,
      headers: bearer(token),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const create = async (body: Record<string, unknown> = {}) => {
    const res = await call('POST', '/api/v1/items', writer, { name: 'Cup', price: '4.50', ...body });
    expect(res.statusCode).toBe(201);
    return res.json();
  };
  const fieldsOf = (res: { json(): { errors?: { field: string }[] } }) =>
    res.json().errors?.map((error) => error.field);

  it('creates, reads, replaces and deletes an item', async () => {
    const created = await create({
      name: 'Espresso cup',
      description: 'Porcelain',
      price: '12.5',
      tax: 2.38,
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Espresso cup',
      description: 'Porcelain',
      price: '12.50',
      tax: '2.38',
      ownerId: writerId,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await call('GET', `/api/v1/items/${created.id}`, reader)).json()).toEqual(created);

    const replaced = await call('PUT', `/api/v1/items/${created.id}`, writer, { name: 'Mug', price: 8 });
    expect(replaced.statusCode).toBe(200);
    // A full replacement: the fields left out are cleared, the owner stays.
    expect(replaced.json()).toMatchObject({
      id: created.id,
      name: 'Mug',
      description: null,
      price: '8.00',
      tax: null,
      ownerId: writerId,
    });
    expect(new Date(replaced.json().updatedAt) >= new Date(created.updatedAt)).toBe(true);

    expect((await call('DELETE', `/api/v1/items/${created.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/items/${created.id}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/items/${created.id}`)).statusCode).toBe(404);
  });

  it('lists a bare array in v1 and an envelope with the total in v2', async () => {
    await Promise.all([create({ name: 'A' }), create({ name: 'B' }), create({ name: 'C' })]);
    const v1 = await call('GET', '/api/v1/items?skip=1&limit=2', reader);
    expect(v1.statusCode).toBe(200);
    expect(v1.json()).toHaveLength(2);

    const v2 = (await call('GET', '/api/v2/items?skip=1&limit=2', reader)).json();
    expect(v2).toMatchObject({ skip: 1, limit: 2, data: v1.json() });
    expect(v2.total).toBeGreaterThanOrEqual(3);
    const everything = (await call('GET', `/api/v2/items?limit=100`, reader)).json();
    expect(everything.data).toHaveLength(Math.min(everything.total, 100));
  });

  it('pages over items: skip and limit count items, in creation order, with none missed or repeated', async () => {
    for (const name of ['P1', 'P2', 'P3', 'P4', 'P5']) await create({ name });
    // An item with an image is still one item on a page.
    const pictured = await create({ name: 'P6' });
    const upload = multipart([{ field: 'file', bytes: png(), contentType: 'image/png' }]);
    const uploaded = await items.app.inject({
      method: 'PUT',
      url: `/api/v1/items/${pictured.id}/image`,
      headers: { ...bearer(writer), ...upload.headers },
      payload: upload.payload,
    });
    expect(uploaded.statusCode).toBe(204);

    const { total } = (await call('GET', '/api/v2/items?limit=1', reader)).json();
    const db = new Client({ connectionString: items.db.adminUrl });
    await db.connect();
    const { rows } = await db.query<{ id: string }>('SELECT id FROM items.items ORDER BY created_at, id');
    await db.end();
    expect(total).toBe(rows.length);
    for (const version of ['v1', 'v2']) {
      const walked: string[] = [];
      for (let skip = 0; skip < total; skip += 2) {
        const res = (await call('GET', `/api/${version}/items?skip=${skip}&limit=2`, reader)).json();
        const page: { id: string }[] = version === 'v1' ? res : res.data;
        expect(page).toHaveLength(Math.min(2, total - skip));
        walked.push(...page.map((item) => item.id));
      }
      expect(walked).toEqual(rows.map((row) => row.id));
    }
  });

  it('searches names and descriptions with q, case-insensitively, paging and counting only the matches', async () => {
    const tag = `zq${Date.now()}`;
    const byName = await create({ name: `Blue ${tag.toUpperCase()} mug` });
    const byDescription = await create({ name: 'Plain plate', description: `goes with the ${tag} set` });
    await create({ name: 'Unrelated bowl' });
    // `%` and `_` in q are text, not wildcards.
    await create({ name: `${tag}_100% cotton` });

    const v2 = (await call('GET', `/api/v2/items?q=${tag}&limit=2`, reader)).json();
    expect(v2.total).toBe(3);
    expect(v2.data.map((item: { id: string }) => item.id)).toEqual([byName.id, byDescription.id]);
    const v1 = (await call('GET', `/api/v1/items?q=${encodeURIComponent(`${tag}_100%`)}`, reader)).json();
    expect(v1.map((item: { name: string }) => item.name)).toEqual([`${tag}_100% cotton`]);
    const wildcard = (
      await call('GET', `/api/v2/items?q=${encodeURIComponent(`${tag.slice(0, 3)}%_`)}`, reader)
    ).json();
    expect(wildcard.total).toBe(0);
    for (const q of ['', '%20%20', 'x'.repeat(101)]) {
      const res = await call('GET', `/api/v1/items?q=${q}`, reader);
      expect([res.statusCode, fieldsOf(res)]).toEqual([400, ['q']]);
    }
  });

  it.each([
    ['skip=-1', 'skip'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['skip=1.5', 'skip'],
    ['skip=1e20', 'skip'],
    ['limit=1&limit=2', 'limit'],
    ['sort=name', 'sort'],
  ])('refuses the page %s with a 400 naming %s', async (query, field) => {
    for (const version of ['v1', 'v2']) {
      const res = await call('GET', `/api/${version}/items?${query}`, reader);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(fieldsOf(res)).toEqual([field]);
    }
  });

  it('explains a page parameter that is not a number as such', async () => {
    const res = await call('GET', '/api/v1/items?limit=abc', reader);
    expect(res.json().errors).toEqual([{ field: 'limit', message: 'limit must be an integer number' }]);
  });

  it('keeps money exact, as two-decimal strings', async () => {
    const item = await create({ price: 19.99, tax: '0.10' });
    expect(item).toMatchObject({ price: '19.99', tax: '0.10' });
    expect(await create({ price: '9999999999.99', tax: 0 })).toMatchObject({
      price: '9999999999.99',
      tax: '0.00',
    });
    const db = new Client({ connectionString: items.db.adminUrl });
    await db.connect();
    const { rows } = await db.query(
      'SELECT price::text, pg_typeof(price)::text AS type FROM items.items WHERE id = $1',
      [item.id],
    );
    await db.end();
    expect(rows).toEqual([{ price: '19.99', type: 'numeric' }]);
  });

  it.each([
    ['three decimals', { price: '1.005' }, 'price'],
    ['three decimals as a number', { price: 1.005 }, 'price'],
    ['a negative price', { price: -1 }, 'price'],
    ['a negative tax', { tax: '-0.01' }, 'tax'],
    ['a price too large for numeric(12,2)', { price: '10000000000' }, 'price'],
    ['a huge number', { price: 1e300 }, 'price'],
    ['exponent notation', { price: '1e3' }, 'price'],
    ['a boolean price', { price: true }, 'price'],
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name of 201 characters', { name: 'x'.repeat(201) }, 'name'],
    ['a description of 2001 characters', { description: 'x'.repeat(2001) }, 'description'],
    ['a NUL character', { name: 'a\u0000b' }, 'name'],
    ['an owner chosen by the client', { ownerId: writerId }, 'ownerId'],
    ['an id chosen by the client', { id: '6f0c7c52-3c3f-4f55-9a0e-5f4a8f3b2c12' }, 'id'],
    ['an unknown field', { colour: 'red' }, 'colour'],
  ])('refuses %s with a 400 naming the field', async (_case, body, field) => {
    const res = await call('POST', '/api/v1/items', writer, { name: 'Cup', price: '4.50', ...body });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual([field]);
  });

  it('names the missing fields of an empty body', async () => {
    const res = await call('POST', '/api/v1/items', writer, {});
    expect(res.json().errors).toEqual([
      { field: 'name', message: 'name must be a string' },
      { field: 'price', message: expect.stringMatching(/^price must be a non-negative amount/) },
    ]);
  });

  it('refuses bodies that are not an item object with a 400', async () => {
    const { id } = await create();
    for (const payload of ['null', '[]', '"cup"', '{', '{}']) {
      const res = await items.app.inject({
        method: 'PUT',
        url: `/api/v1/items/${id}`,
        headers: { ...bearer(writer), 'content-type': 'application/json' },
        payload,
      });
      expect([payload, res.statusCode]).toEqual([payload, 400]);
    }
  });

  it('allows 200 characters in a name, counting characters not bytes', async () => {
    expect((await create({ name: 'é'.repeat(200) })).name).toHaveLength(200);
  });

  it('needs a token, items:read to read and items:write to change', async () => {
    const { id } = await create();
    const anonymous = await items.app.inject({ method: 'GET', url: '/api/v1/items' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect((await call('GET', '/api/v1/items', 'not-a-jwt')).statusCode).toBe(401);

    expect((await call('GET', `/api/v1/items/${id}`, reader)).statusCode).toBe(200);
    expect((await call('POST', '/api/v1/items', reader, { name: 'x', price: 1 })).statusCode).toBe(403);
    expect((await call('PUT', `/api/v1/items/${id}`, reader, { name: 'x', price: 1 })).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/items/${id}`, reader)).statusCode).toBe(403);

    const writeOnly = await items.tokens.token(['items:write']);
    expect((await call('GET', `/api/v1/items/${id}`, writeOnly)).statusCode).toBe(403);
    expect((await call('GET', `/api/v2/items`, writeOnly)).statusCode).toBe(403);
  });

  it('answers an unknown id with 404 and a malformed one with 400', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const body = method === 'PUT' ? { name: 'x', price: 1 } : undefined;
      const missing = await call(method, `/api/v1/items/${unknown}`, writer, body);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ status: 404, code: 'ITEM.NOT_FOUND' });
      const malformed = await call(method, '/api/v1/items/not-a-uuid', writer, body);
      expect(malformed.statusCode).toBe(400);
      expect(fieldsOf(malformed)).toEqual(['id']);
    }
  });

  it('serves its OpenAPI document with the item routes', async () => {
    const document = (await items.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/items',
        '/api/v1/items/{id}',
        '/api/v2/items',
        '/api/v1/items/{id}/image',
      ]),
    );
  });
});
