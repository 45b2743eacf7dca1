import type { Scope } from '@shop/shared';

/** Anyone may call it: no token is read (registration, the token endpoint, JWKS). */
export const PUBLIC = 'public';
/** Any valid access token; the service decides the rest (self-or-scope rules). */
export const AUTHENTICATED = 'authenticated';

/** What a request needs before the gateway forwards it: nothing, a token, or a token with a scope. */
export type Access = typeof PUBLIC | typeof AUTHENTICATED | Scope;

export type ProxiedMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Which paths of a route table entry are forwarded:
 * - `exact`: the path itself (`/auth/token`);
 * - `below`: only paths under it (`/api/v1/users/{id}`);
 * - `tree`: both (`/api/v1/items` and `/api/v1/items/{id}/image`).
 */
export type PathMatch = 'exact' | 'below' | 'tree';

/** One entry of the route table. Paths are forwarded unchanged. */
export interface ProxyRoute {
  path: string;
  match: PathMatch;
  /** The service (`items`): its origin is the `<NAME>_URL` variable (`ITEMS_URL`). */
  upstream: string;
  /** Methods not listed are refused with 405 without reaching the service. */
  access: Partial<Record<ProxiedMethod, Access>>;
  /** Limits password attempts per client IP and username (`LOGIN_RATE_LIMIT_PER_MINUTE`). */
  loginLimit?: boolean;
}

/** An entry's `access` as the edge hook reads it on every request: HEAD follows GET. */
export interface MethodPolicy {
  readonly byMethod: ReadonlyMap<string, Access>;
  /** The `Allow` header of a 405. */
  readonly allow: string;
}

export function methodPolicy(access: ProxyRoute['access']): MethodPolicy {
  const byMethod = new Map<string, Access>(Object.entries(access));
  const get = byMethod.get('GET');
  if (get !== undefined) byMethod.set('HEAD', get);
  return { byMethod, allow: [...byMethod.keys()].join(', ') };
}
