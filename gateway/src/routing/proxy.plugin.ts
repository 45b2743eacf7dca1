import httpProxy, { type FastifyHttpProxyOptions } from '@fastify/http-proxy';
import type { AccessTokenVerifier } from '@shop/shared';
import type { FastifyInstance, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { edgeAuth } from '../edge/edge-auth.hook';
import { limitBody } from '../edge/body-limit.hook';
import { readLoginForm } from '../rate-limit/login-limit.hook';
import { forwardOptions, type ForwardDeps } from './forward.options';
import { methodPolicy, ROUTES_FOR_MATCH, type ProxiedMethod, type ProxyRoute } from './route-access';
import type { UpstreamPools } from './upstream.pools';

export interface ProxyDeps extends ForwardDeps {
  routes: readonly ProxyRoute[];
  verifier: AccessTokenVerifier;
  pools: UpstreamPools;
  limitRequests: onRequestAsyncHookHandler;
  limitLogins: preHandlerAsyncHookHandler;
  bodyLimitBytes: number;
}

// Every method is routed, so that one missing from an entry gets a 405 from
// the edge check; OPTIONS is left to the CORS preflight.
const ROUTED_METHODS: (ProxiedMethod | 'HEAD')[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Registers each route table entry as an @fastify/http-proxy instance in a
 * scope of its own, whose hooks run in this order after the global ones
 * (request id and security headers, CORS, path guard): the edge check, the
 * general rate limit, the body length check, and for the token endpoint the
 * login limit once its form is read. Then the request goes to the service.
 */
export async function registerProxyRoutes(fastify: FastifyInstance, deps: ProxyDeps): Promise<void> {
  for (const route of deps.routes) {
    await fastify.register(async (scope) => {
      scope.addHook('onRequest', edgeAuth(methodPolicy(route), deps.verifier));
      scope.addHook('onRequest', deps.limitRequests);
      scope.addHook('preParsing', limitBody(deps.bodyLimitBytes));
      if (route.loginLimit) {
        readLoginForm(scope);
        scope.addHook('preHandler', deps.limitLogins);
      }
      await scope.register(httpProxy, {
        upstream: deps.pools.origin(route.upstream),
        // Our undici 8 pool: reply-from's types name the undici 7 it bundles, whose request() it calls alike.
        undici: deps.pools.get(route.upstream) as unknown as FastifyHttpProxyOptions['undici'],
        prefix: route.path,
        rewritePrefix: route.path,
        routes: ROUTES_FOR_MATCH[route.match],
        httpMethods: ROUTED_METHODS,
        // Bodies stream through unparsed, except the login form read above.
        proxyPayloads: !route.loginLimit,
        retryMethods: ['GET', 'HEAD'],
        disableRequestLogging: true,
        replyOptions: forwardOptions(route.upstream, deps),
      });
    });
  }
}
