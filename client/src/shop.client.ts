import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type * as InventoryApi from './generated/inventory';
import type * as ItemsApi from './generated/items';
import type * as OrdersApi from './generated/orders';
import type * as UsersApi from './generated/users';

/** One typed client per service, each speaking to the gateway, whose paths are the services' own. */
export interface ShopClient {
  users: Client<UsersApi.paths>;
  items: Client<ItemsApi.paths>;
  orders: Client<OrdersApi.paths>;
  inventory: Client<InventoryApi.paths>;
}

export interface ShopClientOptions {
  /** The gateway, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** An access token from {@link logIn}; without one, only the public routes answer. */
  token?: string;
  /** Another fetch (a test's, a proxy's); the global one by default. */
  fetch?: ClientOptions['fetch'];
}

/** The clients of every service, sending `token` as a bearer token on every request. */
export function createShopClient({ baseUrl, token, fetch }: ShopClientOptions): ShopClient {
  const options: ClientOptions = {
    baseUrl,
    fetch,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  };
  return {
    users: createClient<UsersApi.paths>(options),
    items: createClient<ItemsApi.paths>(options),
    orders: createClient<OrdersApi.paths>(options),
    inventory: createClient<InventoryApi.paths>(options),
  };
}

/** What POST /auth/token answers (RFC 6749 §5.1), as the users document describes it. */
export type TokenResponse = UsersApi.components['schemas']['TokenResponse'];

export interface Credentials {
  username: string;
  password: string;
  /** Fewer scopes than the user holds, space-separated; all of them by default. */
  scope?: string;
}

/**
 * Logs in with the password grant through the gateway. Rejects with the OAuth2 error code
 * (`invalid_grant` for a wrong password) or the problem the gateway answered with.
 */
export async function logIn(
  baseUrl: string,
  { username, password, scope }: Credentials,
  fetch?: ClientOptions['fetch'],
): Promise<TokenResponse> {
  const { users } = createShopClient({ baseUrl, fetch });
  const { data, error, response } = await users.POST('/auth/token', {
    body: { grant_type: 'password', username, password, ...(scope === undefined ? {} : { scope }) },
    // The token endpoint takes a form (RFC 6749 §4.3.2), not JSON.
    bodySerializer: (form) => new URLSearchParams(form as Record<string, string>).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (data) return data;
  // An OAuth2 error from the users service, or a problem from the gateway (a 429, a 503).
  const { code, reason } =
    error && 'error' in error
      ? { code: error.error, reason: error.error_description }
      : { code: error?.code ?? 'no code', reason: error?.detail ?? 'no reason given' };
  throw new Error(`POST /auth/token answered ${response.status} ${code}: ${reason}`);
}
