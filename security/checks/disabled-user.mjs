// A disabled user's still-valid access token: SPEC wants the gateway to refuse it within
// seconds, and every service reached directly is "still protected", so each must refuse it too.
import { setTimeout as sleep } from 'node:timers/promises';
import { adminLogin, login, CUSTOMER_PASSWORD, newCustomer } from '../lib/actors.mjs';
import { call } from '../lib/http.mjs';
import { fail, figures, progress } from '../lib/results.mjs';
import { GATEWAY, ORIGINS } from '../lib/system.mjs';

const WITHIN_MS = 5_000;
/** One protected read per process; the customer holds the scope of each but inventory's. */
const PROBES = [
  ['gateway', GATEWAY, '/api/v1/users/me'],
  ['gateway', GATEWAY, '/api/v1/orders'],
  ['users', ORIGINS.users, '/api/v1/users/me'],
  ['items', ORIGINS.items, '/api/v1/items'],
  ['orders', ORIGINS.orders, '/api/v1/orders'],
  ['inventory', ORIGINS.inventory, '/api/v1/inventory/00000000-0000-4000-8000-000000000000'],
];

export async function disabledUser() {
  const admin = (await adminLogin()).access_token;
  const customer = await newCustomer();
  for (const [where, origin, path] of PROBES) {
    const before = await call(origin, { path, token: customer.token });
    if (before.status === 401)
      fail('disabled user', `${where} ${path} refused the token before the user was disabled`);
  }
  const disabled = await call(ORIGINS.users, {
    method: 'PATCH',
    path: `/api/v1/users/${customer.id}`,
    token: admin,
    body: { disabled: true },
  });
  if (disabled.status !== 200)
    return fail('disabled user', `could not disable: ${disabled.status} ${disabled.text}`);
  const started = Date.now();
  const refusedAfter = new Map();
  while (Date.now() - started < WITHIN_MS && refusedAfter.size < PROBES.length) {
    for (const [index, [, origin, path]] of PROBES.entries()) {
      if (refusedAfter.has(index)) continue;
      if ((await call(origin, { path, token: customer.token })).status === 401)
        refusedAfter.set(index, Date.now() - started);
    }
    await sleep(100);
  }
  const lines = PROBES.map(([where, , path], index) => {
    const ms = refusedAfter.get(index);
    if (ms === undefined)
      fail(
        'disabled user',
        `${where} ${path} still accepts the disabled user's token after ${WITHIN_MS / 1000} s`,
      );
    return `${where} ${path}: ${ms === undefined ? 'ACCEPTED' : `refused after ${ms} ms`}`;
  });
  lines.forEach((line) => progress(line));
  const refresh = await call(ORIGINS.users, {
    method: 'POST',
    path: '/auth/token',
    form: { grant_type: 'refresh_token', refresh_token: customer.refresh },
  });
  if (refresh.json?.error !== 'invalid_grant')
    fail('disabled user', `refresh after disabling: ${refresh.status}`);
  const relogin = await login(customer.username, CUSTOMER_PASSWORD).then(
    () => 'accepted',
    () => 'refused',
  );
  if (relogin !== 'refused') fail('disabled user', 'a disabled user can still log in');
  figures.disabled = `${refusedAfter.size}/${PROBES.length} probes refused within ${WITHIN_MS / 1000} s`;
}
