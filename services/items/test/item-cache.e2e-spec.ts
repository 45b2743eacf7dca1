import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpMetrics } from '@shop/shared';
import { eventually } from '@shop/shared/testing';
import { Client } from 'pg';
import type { Counter } from 'prom-client';
import { ItemCacheStore } from '../src/items/cache/item-cache.store';
import { ItemsRepository } from '../src/items/items.repository';
import { bearer, ItemsApp, startItemsApp } from './support/items-app.fixture';

describe('the item cache', () => {
  let items: ItemsApp;
  let token: string;
  let admin: Client;

  beforeAll(async () => {
    items = await startItemsApp();
    token = await items.tokens.token(['items:read', 'items:write']);
    admin = new Client({ connectionString: items.db.adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await items.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, app = items.app) =>
    app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const create = async (app = items.app) =>
    (await call('POST', '/api/v1/items', { name: 'Cup', price: '4.50' }, app)).json();
  const entryOf = (id: string) => items.redis.get(`item:v1:${id}`);
  /** Changes a row behind the service's back, so only a cache hit can still show the old name. */
  const renameInPostgres = (id: string, name: string) =>
    admin.query('UPDATE items.items SET name = $2 WHERE id = $1', [id, name]);
  const count = async (operation: string, outcome: string) => {
    const metric = items.app
      .get(HttpMetrics)
      .registry.getSingleMetric('item_cache_operations_total') as Counter;
    const values = (await metric.get()).values;
    return (
      values.find(({ labels }) => labels.operation === operation && labels.outcome === outcome)?.value ?? 0
    );
  };

  it('serves the second read of an item from Redis', async () => {
    const { id } = await create();
    const hits = await count('get', 'hit');
    expect((await call('GET', `/api/v1/items/${id}`)).json().name).toBe('Cup');
    expect(await entryOf(id)).toMatch(/^1\|\{/);

    await renameInPostgres(id, 'Changed behind our back');
    expect((await call('GET', `/api/v1/items/${id}`)).json().name).toBe('Cup');
    expect(await count('get', 'hit')).toBe(hits + 1);
    expect(await items.redis.pttl(`item:v1:${id}`)).toBeGreaterThan(50_000);
  });

  it('never caches lists', async () => {
    const { id } = await create();
    await call('GET', '/api/v1/items');
    await call('GET', '/api/v2/items');
    expect(await entryOf(id)).toBeNull();
  });

  it('shows a replaced item at once', async () => {
    const { id } = await create();
    await call('GET', `/api/v1/items/${id}`);
    expect((await call('PUT', `/api/v1/items/${id}`, { name: 'Mug', price: 3 })).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/items/${id}`)).json()).toMatchObject({ name: 'Mug', price: '3.00' });
  });

  it('serves an id spelled in capitals from the same entry, and shows writes to it', async () => {
    const { id } = await create();
    const shouted = `/api/v1/items/${id.toUpperCase()}`;
    await call('GET', `/api/v1/items/${id}`);
    await renameInPostgres(id, 'Changed behind our back');
    expect((await call('GET', shouted)).json()).toMatchObject({ id, name: 'Cup' });
    await call('PUT', `/api/v1/items/${id}`, { name: 'Mug', price: 3 });
    expect((await call('GET', shouted)).json().name).toBe('Mug');
  });

  it('answers 404 for a deleted item that was cached', async () => {
    const { id } = await create();
    await call('GET', `/api/v1/items/${id}`);
    expect((await call('DELETE', `/api/v1/items/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/items/${id}`)).statusCode).toBe(404);
  });

  it('refuses to cache a row that was read before a write and arrives after it', async () => {
    const { id } = await create();
    const staleRow = await items.app.get(ItemsRepository).findById(id);
    await call('PUT', `/api/v1/items/${id}`, { name: 'Mug', price: 3 });
    const refused = await count('fill', 'refused');

    // The slow reader hands its old row to the cache only now, after the write.
    await items.app.get(ItemCacheStore).read(id, async () => staleRow);
    expect(await count('fill', 'refused')).toBe(refused + 1);
    expect((await call('GET', `/api/v1/items/${id}`)).json().name).toBe('Mug');
    expect(await entryOf(id)).toMatch(/^2\|\{/);
  });

  it('refuses to cache a row that was read before its deletion', async () => {
    const { id } = await create();
    const staleRow = await items.app.get(ItemsRepository).findById(id);
    await call('DELETE', `/api/v1/items/${id}`);
    await items.app.get(ItemCacheStore).read(id, async () => staleRow);
    expect((await call('GET', `/api/v1/items/${id}`)).statusCode).toBe(404);
  });

  it('writes the tombstone a failed invalidation owed once Redis is back', async () => {
    const { id } = await create();
    await call('GET', `/api/v1/items/${id}`);
    items.redis.disconnect();
    expect((await call('PUT', `/api/v1/items/${id}`, { name: 'Mug', price: 3 })).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/items/${id}`)).json().name).toBe('Mug');

    await items.redis.connect();
    await eventually(async () => (await entryOf(id))?.startsWith('2|'), { timeoutMs: 3000, everyMs: 20 });
    expect((await call('GET', `/api/v1/items/${id}`)).json().name).toBe('Mug');
  });

  describe('while Redis is away', () => {
    let offline: NestFastifyApplication;
    beforeAll(async () => {
      // Nothing listens on port 1: every connection attempt is refused.
      offline = await items.startReplica({ REDIS_URL: 'redis://127.0.0.1:1' });
    });

    it('still reads and writes items from Postgres', async () => {
      const created = await call('POST', '/api/v1/items', { name: 'Cup', price: '4.50' }, offline);
      expect(created.statusCode).toBe(201);
      const { id } = created.json();
      for (let i = 0; i < 2; i++)
        expect((await call('GET', `/api/v1/items/${id}`, undefined, offline)).statusCode).toBe(200);
      expect((await call('PUT', `/api/v1/items/${id}`, { name: 'Mug', price: 3 }, offline)).json().name).toBe(
        'Mug',
      );
      expect((await call('GET', `/api/v1/items/${id}`, undefined, offline)).json().name).toBe('Mug');
      expect((await call('GET', '/api/v2/items', undefined, offline)).statusCode).toBe(200);
      expect((await call('DELETE', `/api/v1/items/${id}`, undefined, offline)).statusCode).toBe(204);
      expect((await call('GET', `/api/v1/items/${id}`, undefined, offline)).statusCode).toBe(404);
    });

    it('reports itself ready but degraded', async () => {
      const ready = await offline.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        status: 'degraded',
        checks: { database: { status: 'up' }, redis: { status: 'down' } },
      });
    });
  });
});
