import { eventually } from '@shop/shared/testing';
import { randomBytes } from 'node:crypto';
import { createShopClient, logIn, type ShopClient } from '../src';
import { startShopSystem, type ShopSystem } from './support/shop-system.fixture';

// The typed client, generated from the services' documents, against the whole running system
// through the gateway. Every body below is checked by tsc against those documents when the
// client builds (client/test/tsconfig.json), so a renamed field fails the build before this runs.
jest.setTimeout(60_000);

describe('the typed client against the system', () => {
  const run = randomBytes(4).toString('hex');
  const customer = { username: `client${run}`, email: `client${run}@example.com`, password: 'Passw0rdX' };
  let system: ShopSystem;
  let admin: ShopClient;
  let alice: ShopClient;
  let itemId: string;

  beforeAll(async () => {
    system = await startShopSystem();
    admin = createShopClient({
      baseUrl: system.url,
      token: (await logIn(system.url, system.admin)).access_token,
    });
  }, 120_000);

  afterAll(() => system?.stop(), 30_000);

  it('registers a customer, who logs in', async () => {
    const anonymous = createShopClient({ baseUrl: system.url });
    const { data, response } = await anonymous.users.POST('/api/v1/users', { body: customer });
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ username: customer.username, email: customer.email, disabled: false });
    const token = await logIn(system.url, customer);
    expect(token.token_type).toBe('bearer');
    alice = createShopClient({ baseUrl: system.url, token: token.access_token });
    const me = await alice.users.GET('/api/v1/users/me');
    expect(me.data?.id).toBe(data?.id);
  });

  it('refuses a wrong password with the OAuth2 error', async () => {
    await expect(logIn(system.url, { ...customer, password: 'Wrong0ne' })).rejects.toThrow(
      'answered 400 invalid_grant',
    );
  });

  it('lets the admin create an item and stock 3 of it', async () => {
    const created = await admin.items.POST('/api/v1/items', { body: { name: `Mug ${run}`, price: '7.50' } });
    expect(created.response.status).toBe(201);
    itemId = created.data!.id;
    // The stock row appears once inventory has consumed item.created.
    const stocked = await eventually(async () => {
      const { data } = await admin.inventory.POST('/api/v1/inventory/{itemId}/adjustments', {
        params: { path: { itemId } },
        body: { delta: 3, reason: 'restock' },
      });
      return data;
    });
    expect(stocked).toMatchObject({ itemId, available: 3, reserved: 0 });
  });

  it('places an order and reads it back confirmed, with the stock it took', async () => {
    const placed = await alice.orders.POST('/api/v1/orders', { body: { lines: [{ itemId, quantity: 2 }] } });
    expect(placed.response.status).toBe(201);
    const orderId = placed.data!.id;
    const confirmed = await eventually(
      async () => {
        const { data } = await alice.orders.GET('/api/v1/orders/{id}', { params: { path: { id: orderId } } });
        return data?.status === 'CONFIRMED' && data;
      },
      { timeoutMs: 15_000 },
    );
    expect(confirmed).toMatchObject({ total: '15.00', lines: [{ itemId, quantity: 2, unitPrice: '7.50' }] });
    const level = await admin.inventory.GET('/api/v1/inventory/{itemId}', { params: { path: { itemId } } });
    expect(level.data?.available).toBe(1);
  });

  it('gets a refused body back as a typed problem', async () => {
    const { error, response } = await alice.orders.POST('/api/v1/orders', {
      body: { lines: [{ itemId, quantity: 0 }] },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(error?.errors?.map((field) => field.field)).toEqual([expect.stringContaining('quantity')]);
  });
});
