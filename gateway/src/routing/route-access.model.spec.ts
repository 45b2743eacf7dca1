import { isScope } from '@shop/shared/testing';
import { AUTHENTICATED, methodPolicy, PUBLIC, type ProxyRoute } from './route-access.model';
import { ROUTE_TABLE } from './route-table.config';

describe('methodPolicy', () => {
  const route: ProxyRoute = {
    path: '/api/v1/things',
    match: 'tree',
    upstream: 'items',
    access: { GET: 'items:read', DELETE: 'items:write' },
  };

  it('gives HEAD the access of GET, and lists the allowed methods for a 405', () => {
    const policy = methodPolicy(route.access);
    expect(policy.byMethod.get('HEAD')).toBe('items:read');
    expect(policy.byMethod.get('POST')).toBeUndefined();
    expect(policy.allow).toBe('GET, DELETE, HEAD');
  });

  it('adds no HEAD where GET is not allowed', () => {
    expect(methodPolicy({ POST: PUBLIC }).byMethod.has('HEAD')).toBe(false);
  });
});

describe('the route table', () => {
  it('names only known scopes, or public, or authenticated', () => {
    for (const route of ROUTE_TABLE) {
      for (const access of Object.values(route.access)) {
        expect(access === PUBLIC || access === AUTHENTICATED || isScope(access)).toBe(true);
      }
    }
  });

  it('never registers the same Fastify route twice', () => {
    const routes = ROUTE_TABLE.flatMap(({ path, match }) =>
      match === 'exact' ? [path] : match === 'below' ? [`${path}/*`] : [path, `${path}/*`],
    );
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('keeps public exactly what the SPEC makes public', () => {
    const publicRoutes = ROUTE_TABLE.flatMap((route) =>
      Object.entries(route.access)
        .filter(([, access]) => access === PUBLIC)
        .map(([method]) => `${method} ${route.path}${route.match === 'exact' ? '' : ' (and below)'}`),
    );
    expect(publicRoutes.sort()).toEqual([
      'GET /.well-known/jwks.json',
      'POST /api/v1/users',
      'POST /auth/revoke',
      'POST /auth/token',
    ]);
  });

  it('limits login attempts on the token endpoint', () => {
    expect(ROUTE_TABLE.filter((route) => route.loginLimit).map((route) => route.path)).toEqual([
      '/auth/token',
    ]);
  });
});
