import { AUTHENTICATED, PUBLIC, type ProxyRoute } from './route-access.model';

/**
 * Everything the gateway forwards, and what each method needs at the edge.
 * The only place a public path is declared: anything not listed here is a 404,
 * and a method not listed for a path is a 405, before any service is reached.
 * The services check tokens and scopes again; the edge check only spares them
 * the traffic that can never succeed.
 *
 * A new service is one `tree` entry plus its `<NAME>_URL`: the config's URL
 * variables and the service pools are derived from the `upstream` names here
 * (routing/upstreams.config.ts), the edge's access rules from each entry's `access`.
 */
export const ROUTE_TABLE: readonly ProxyRoute[] = [
  // Registration is open; listing users needs users:read, which the service checks.
  { path: '/api/v1/users', match: 'exact', upstream: 'users', access: { POST: PUBLIC, GET: AUTHENTICATED } },
  // Self-or-users:write rules depend on the user in the path: the service applies them.
  {
    path: '/api/v1/users',
    match: 'below',
    upstream: 'users',
    access: { GET: AUTHENTICATED, PATCH: AUTHENTICATED, DELETE: AUTHENTICATED },
  },
  { path: '/auth/token', match: 'exact', upstream: 'users', access: { POST: PUBLIC }, loginLimit: true },
  { path: '/auth/revoke', match: 'exact', upstream: 'users', access: { POST: PUBLIC } },
  { path: '/.well-known/jwks.json', match: 'exact', upstream: 'users', access: { GET: PUBLIC } },
  // Pushed to every open WebSocket by every gateway replica (announcement.published).
  {
    path: '/api/v1/announcements',
    match: 'exact',
    upstream: 'users',
    access: { POST: 'users:write' },
  },

  {
    path: '/api/v1/items',
    match: 'tree',
    upstream: 'items',
    access: { GET: 'items:read', POST: 'items:write', PUT: 'items:write', DELETE: 'items:write' },
  },
  { path: '/api/v2/items', match: 'tree', upstream: 'items', access: { GET: 'items:read' } },

  // Placing and cancelling are POSTs (`/orders`, `/orders/{id}/cancel`); whose order it is, the service decides.
  {
    path: '/api/v1/orders',
    match: 'tree',
    upstream: 'orders',
    access: { GET: 'orders:read', POST: 'orders:write' },
  },
  {
    path: '/api/v1/inventory',
    match: 'tree',
    upstream: 'inventory',
    access: { GET: 'inventory:read', POST: 'inventory:write' },
  },
];
