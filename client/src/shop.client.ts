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

/**
 * What POST /auth/token answers (RFC 6749 §5.1). Written here because the users document
 * describes neither the token endpoint's form nor this answer: an OAuth2 endpoint, not a DTO.
 */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export interface Credentials {
  username: string;
  password: string;
  /** Fewer scopes than the user holds, space-separated; all of them by default. */
  scope?: string;
}

/**
 * Logs in with the password grant through the gateway. Rejects with the OAuth2 error
 * (`invalid_grant` for a wrong password) or the problem the gateway answered with.
 */
export async function logIn(
  baseUrl: string,
  { username, password, scope }: Credentials,
  fetchWith: typeof fetch = fetch,
): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: 'password', username, password });
  if (scope !== undefined) form.set('scope', scope);
  const response = await fetchWith(new URL('/auth/token', baseUrl), { method: 'POST', body: form });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status === 200) return body as unknown as TokenResponse;
  // An OAuth2 error (RFC 6749 §5.2) from the users service, or a problem from the gateway.
  const code = body.error ?? body.code ?? 'no code';
  const reason = body.error_description ?? body.detail ?? 'no reason given';
  throw new Error(`POST /auth/token answered ${response.status} ${String(code)}: ${String(reason)}`);
}
