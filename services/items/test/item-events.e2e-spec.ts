import { Client } from 'pg';
import { startItemsApp, ItemsApp } from './support/items-app.fixture';

describe('items events', () => {
  let items: ItemsApp;
  let writer: string;
  beforeAll(async () => {
    items = await startItemsApp();
    writer = await items.tokens.token(['items:read', 'items:write']);
  });
  afterAll(() => items.close());

  async function outbox(itemId: string) {
    const client = new Client({ connectionString: items.db.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT type, payload FROM items.outbox WHERE payload->>'aggregateId' = $1 ORDER BY created_at`,
        [itemId],
      );
      return rows as Array<{
        type: string;
        payload: { aggregateVersion: number; data: Record<string, unknown> };
      }>;
    } finally {
      await client.end();
    }
  }
  const call = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    items.app.inject({ method, url, headers: { authorization: `Bearer ${writer}` }, payload });

  it('writes item.created, item.updated and item.deleted with increasing versions', async () => {
    const item = (await call('POST', '/api/v1/items', { name: 'Lamp', price: '12.50' })).json();
    await call('PUT', `/api/v1/items/${item.id}`, { name: 'Lamp', price: 13 });
    await call('DELETE', `/api/v1/items/${item.id}`);

    const events = await outbox(item.id);
    expect(events.map((event) => event.type)).toEqual(['item.created', 'item.updated', 'item.deleted']);
    expect(events[0].payload.data).toEqual({
      itemId: item.id,
      name: 'Lamp',
      price: '12.50',
      ownerId: item.ownerId,
    });
    expect(events[1].payload.data.price).toBe('13.00');
    const versions = events.map((event) => event.payload.aggregateVersion);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
  });

  it('writes nothing for a refused write', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await call('DELETE', `/api/v1/items/${missing}`)).statusCode).toBe(404);
    expect((await call('PUT', `/api/v1/items/${missing}`, { name: 'x', price: 1 })).statusCode).toBe(404);
    expect(await outbox(missing)).toEqual([]);
  });
});
