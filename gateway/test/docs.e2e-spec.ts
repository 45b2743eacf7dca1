import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { routeOf } from '../src/docs/edge-document.factory';
import type { OpenApiDocument } from '../src/docs/edge-responses.model';
import { GATEWAY_ROUTES } from '../src/docs/gateway-document.factory';
import { ROUTE_TABLE } from '../src/routing/route-table.config';
import { WS_PATH } from '../src/ws/ws-handshake.model';
import { FakeUpstream, sendJson } from './support/fake-upstream.fixture';
import { startGateway, uniquePrefix, type GatewayUnderTest } from './support/gateway-harness.fixture';
import { ROOT, runScript } from './support/system-processes.fixture';
import { TokenMinter } from './support/token-minter.fixture';

// The documents the gateway serves, from the services' real documents (exported from their
// built dist/ without infrastructure), against every route the gateway's router has.
jest.setTimeout(60_000);

const SERVICES = ['users', 'items', 'orders', 'inventory'] as const;
const NAMES = [...SERVICES, 'gateway'];
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
// Served, but not API operations: a page, its files and the orchestrator's probes.
const NOT_API = [/^\/docs\/?$/, /^\/docs\/static\//, /^\/health\//];

/** Every `(path, methods)` of Fastify's route tree, with full paths (`printRoutes` nests them). */
function routerRoutes(tree: string): { path: string; methods: string[] }[] {
  const stack: string[] = [];
  return tree.split('\n').flatMap((line) => {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!match) return [];
    const depth = match[1].length / 4;
    stack.length = depth;
    stack.push(match[2]);
    // A child `*` is printed without the `/` it was registered with (`/api/v1/items/*`).
    return [{ path: stack.join('').replace(/([^/])\*$/, '$1/*'), methods: match[3].split(', ') }];
  });
}

describe('the documents the gateway serves', () => {
  let minter: TokenMinter;
  const upstreams: FakeUpstream[] = [];
  let gateway: GatewayUnderTest;
  const served: Record<string, OpenApiDocument> = {};

  beforeAll(async () => {
    await runScript('scripts/openapi/export.mjs', {});
    minter = await TokenMinter.create();
    const env: Record<string, string> = { REDIS_KEY_PREFIX: uniquePrefix('docs') };
    for (const service of SERVICES) {
      const document = JSON.parse(readFileSync(join(ROOT, `build/openapi/${service}.json`), 'utf8'));
      const upstream = await FakeUpstream.start();
      upstream.handler = (seen, response) =>
        seen.url === '/.well-known/jwks.json'
          ? sendJson(response, 200, minter.jwks())
          : sendJson(response, seen.url === '/openapi.json' ? 200 : 404, document);
      upstreams.push(upstream);
      env[`${service.toUpperCase()}_URL`] = upstream.url;
    }
    gateway = await startGateway(env);
    for (const name of NAMES) {
      const res = await request(`${gateway.url}/docs/openapi/${name}.json`);
      expect(res.statusCode).toBe(200);
      served[name] = (await res.body.json()) as OpenApiDocument;
    }
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  it('lists every document on the /docs page, and links the AsyncAPI document', async () => {
    const initializer = await (
      await request(`${gateway.url}/docs/static/swagger-initializer.js`)
    ).body.text();
    for (const name of NAMES) expect(initializer).toContain(`"url":"/docs/openapi/${name}.json"`);
    const page = await (await request(`${gateway.url}/docs`)).body.text();
    expect(page).toContain('href="/asyncapi.json"');
  });

  it('names the gateway as the server and sends Authorize to its token endpoint', () => {
    for (const name of NAMES) {
      expect(served[name].servers).toEqual([expect.objectContaining({ url: gateway.url })]);
      const password = served[name].components!.securitySchemes!.OAuth2.flows!.password!;
      expect(password.tokenUrl).toBe(`${gateway.url}/auth/token`);
    }
  });

  it('puts every route the code serves in a document, each operation with at least one 4xx', () => {
    const tree = gateway.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
    const routes = routerRoutes(tree).filter(
      ({ path }) => path !== '*' && !NOT_API.some((re) => re.test(path)),
    );
    const table = [...ROUTE_TABLE, ...GATEWAY_ROUTES];
    const operations = Object.values(served).flatMap((document) =>
      Object.entries(document.paths).flatMap(([path, item]) =>
        METHODS.filter((method) => item[method as 'get']).map((method) => ({
          path,
          method: method.toUpperCase(),
          statuses: Object.keys(item[method as 'get']!.responses),
        })),
      ),
    );
    const missing: string[] = [];
    // The WebSocket handshake is answered by the upgrade handler, not the router.
    for (const { path } of [...routes, { path: WS_PATH }]) {
      const prefix = path.replace(/\/(\*|:file)$/, '');
      if (!table.some((route) => route.path === prefix)) missing.push(`${path}: in no route table`);
    }
    // What a method is routed for: the entry's path itself, the paths below it, or both.
    for (const entry of table) {
      for (const method of Object.keys(entry.access)) {
        const documented = operations.filter(
          (op) => op.method === method && routeOf(table, op.path) === entry,
        );
        if (documented.length === 0) missing.push(`${method} ${entry.path} (${entry.match}): in no document`);
        for (const op of documented.filter((o) => !o.statuses.some((status) => status.startsWith('4'))))
          missing.push(`${op.method} ${op.path}: no 4xx answer`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents only what the gateway routes', () => {
    const table = [...ROUTE_TABLE, ...GATEWAY_ROUTES];
    for (const document of Object.values(served))
      for (const [path, item] of Object.entries(document.paths))
        for (const method of METHODS.filter((m) => item[m as 'get']))
          expect(routeOf(table, path)?.access).toHaveProperty(method.toUpperCase());
  });
});
