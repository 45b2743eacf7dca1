// Who the checks act as — the bootstrap admin, customers registered for the run, tokens with
// chosen scopes — and the data they own: an item, its stock, an order.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { call } from './http.mjs';
import { ADMIN, ORIGINS } from './system.mjs';

export const ALL_SCOPES = [
  'users:read',
  'users:write',
  'items:read',
  'items:write',
  'orders:read',
  'orders:write',
  'orders:all',
  'inventory:read',
  'inventory:write',
];
export const CUSTOMER_SCOPES = ['items:read', 'orders:read', 'orders:write'];
export const CUSTOMER_PASSWORD = 'Sec-Cust-123x';

const users = ORIGINS.users;
/** Every token and password the run handles: the storage check looks for them in the logs. */
export const secrets = new Set([ADMIN.password, CUSTOMER_PASSWORD]);
const unique = () => randomBytes(5).toString('hex');

/** `grant_type=password` at the users service: the whole token response, or a throw saying why. */
export async function login(username, password, scope) {
  const form = { grant_type: 'password', username, password, ...(scope ? { scope } : {}) };
  const answer = await call(users, { method: 'POST', path: '/auth/token', form });
  if (answer.status !== 200) throw new Error(`login of ${username} failed: ${answer.status} ${answer.text}`);
  secrets.add(answer.json.access_token).add(answer.json.refresh_token);
  return answer.json;
}

export const adminLogin = (scope) => login(ADMIN.username, ADMIN.password, scope);

/** Registers a fresh customer and logs them in: `{ id, username, token, refresh }`. */
export async function newCustomer() {
  const username = `sec${unique()}`;
  const created = await call(users, {
    method: 'POST',
    path: '/api/v1/users',
    body: { username, email: `${username}@example.com`, password: CUSTOMER_PASSWORD },
  });
  if (created.status !== 201) throw new Error(`registration failed: ${created.status} ${created.text}`);
  const tokens = await login(username, CUSTOMER_PASSWORD);
  return { id: created.json.id, username, token: tokens.access_token, refresh: tokens.refresh_token };
}

/** An item created by the admin, with stock once its row has arrived through item.created. */
export async function newItem(adminToken, { stock = 0 } = {}) {
  const created = await call(ORIGINS.items, {
    method: 'POST',
    path: '/api/v1/items',
    token: adminToken,
    body: { name: `Security ${unique()}`, description: 'attacked, not sold', price: '9.99', tax: '1.90' },
  });
  if (created.status !== 201) throw new Error(`item not created: ${created.status} ${created.text}`);
  for (let attempt = 0; stock > 0 && attempt < 100; attempt++) {
    const stocked = await call(ORIGINS.inventory, {
      method: 'POST',
      path: `/api/v1/inventory/${created.json.id}/adjustments`,
      token: adminToken,
      body: { delta: stock, reason: 'security suite' },
    });
    if (stocked.status === 200 || stocked.status === 201) break;
    await sleep(100); // the stock row comes with item.created
  }
  return created.json;
}

export async function newOrder(customerToken, itemId) {
  const placed = await call(ORIGINS.orders, {
    method: 'POST',
    path: '/api/v1/orders',
    token: customerToken,
    body: { lines: [{ itemId, quantity: 1 }] },
  });
  if (placed.status !== 201) throw new Error(`order not placed: ${placed.status} ${placed.text}`);
  return placed.json;
}

/**
 * What one matrix request acts on: an owner and another customer, an item with stock and the
 * owner's order. Destructive operations get a fresh world per request.
 */
export async function newWorld(adminToken) {
  const [owner, other] = [await newCustomer(), await newCustomer()];
  const item = await newItem(adminToken, { stock: 100 });
  const order = await newOrder(owner.token, item.id);
  return { owner, other, item, order };
}
