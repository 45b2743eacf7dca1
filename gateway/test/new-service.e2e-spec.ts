import { HttpMetrics, type AccessTokenVerifierService } from '@shop/shared';
import { ConfigError } from '@shop/shared/testing';
import Fastify, { type FastifyInstance, type onRequestHookHandler } from 'fastify';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { EdgeTokenStore } from '../src/edge/edge-token.store';
import { loadGatewayConfig } from '../src/gateway.config';
import { GatewayMetrics } from '../src/observability/gateway.metrics';
import { registerProxyRoutes } from '../src/routing/proxy.routes';
import { PUBLIC, type ProxyRoute } from '../src/routing/route-access.model';
import { ROUTE_TABLE } from '../src/routing/route-table.config';
import { UpstreamPoolsService } from '../src/routing/upstream-pools.service';
import { FakeUpstream } from './support/fake-upstream.fixture';

// What route-table.config.ts promises: a new service is one entry plus its <NAME>_URL.
// The URL variable, the pool and the access rules all come from that entry.
describe('a service added to the route table', () => {
  const payments: ProxyRoute = {
    path: '/api/v1/payments',
    match: 'tree',
    upstream: 'payments',
    access: { GET: PUBLIC },
  };
  const routes = [...ROUTE_TABLE, payments];
  let service: FakeUpstream;
  let pools: UpstreamPoolsService;
  let fastify: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    service = await FakeUpstream.start();
    const config = loadGatewayConfig({ PAYMENTS_URL: service.url }, routes);
    pools = new UpstreamPoolsService(routes, config);
    fastify = Fastify();
    const passThrough: onRequestHookHandler = (_request, _reply, done) => done();
    await registerProxyRoutes(fastify, {
      routes,
      pools,
      tokens: new EdgeTokenStore({} as AccessTokenVerifierService, () => false),
      metrics: new GatewayMetrics(new HttpMetrics('gateway')),
      trustProxy: false,
      limitRequests: passThrough,
      limitLogins: async () => undefined,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await fastify.close();
    await pools.onApplicationShutdown();
    await service.close();
  });

  it('needs its URL variable, named after it, and nothing else', () => {
    expect(() => loadGatewayConfig({}, routes)).toThrow(ConfigError);
    expect(() => loadGatewayConfig({}, routes)).toThrow(/PAYMENTS_URL/);
    expect(loadGatewayConfig({ PAYMENTS_URL: 'http://payments:3005' }, routes).PAYMENTS_URL).toBe(
      'http://payments:3005',
    );
  });

  it('gets a pool of its own at the origin its URL variable names', () => {
    expect(pools.names()).toEqual(['users', 'items', 'orders', 'inventory', 'payments']);
    expect(pools.origin('payments')).toBe(service.url);
  });

  it('is forwarded to, path and query unchanged, with the access its entry gives', async () => {
    const res = await request(`${url}/api/v1/payments/42?currency=EUR`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ method: 'GET', url: '/api/v1/payments/42?currency=EUR' });
    expect(service.seen.map((seen) => seen.url)).toEqual(['/api/v1/payments/42?currency=EUR']);
  });

  it('refuses a method its entry does not list, before the service sees it', async () => {
    service.seen.length = 0;
    const res = await request(`${url}/api/v1/payments`, { method: 'DELETE' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    await res.body.dump();
    expect(service.seen).toHaveLength(0);
  });
});
