import type { FastifyInstance, onRequestHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { edgeAuth } from '../edge/edge-auth.hook';
import { limitBody } from '../edge/body-limit.hook';
import type { EdgeTokenStore } from '../edge/edge-token.store';
import { LOGIN_FORM_LIMIT_BYTES, readLoginForm } from '../rate-limit/login-limit.hook';
import { methodPolicy, type ProxiedMethod, type ProxyRoute } from './route-access.model';
import type { UpstreamPoolsService } from './upstream-pools.service';
import { UpstreamProxyService, type ForwardDeps } from './upstream-proxy.service';

export interface ProxyDeps extends ForwardDeps {
  routes: readonly ProxyRoute[];
  tokens: EdgeTokenStore;
  pools: UpstreamPoolsService;
  limitRequests: onRequestHookHandler;
  limitLogins: preHandlerAsyncHookHandler;
  bodyLimitBytes: number;
}

// Every method is routed, so that one missing from an entry gets a 405 from
// the edge check; OPTIONS is left to the CORS preflight.
const ROUTED_METHODS: (ProxiedMethod | 'HEAD')[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Registers each route table entry as plain Fastify routes in a scope of its
 * own, whose hooks run in this order after the global ones (request id and
 * security headers, CORS, path guard): the edge check, the general rate
 * limit, the body length check, and for the token endpoint the login limit
 * once its form is read. The handler then forwards the request to the
 * service (routing/upstream-proxy.service.ts).
 */
export async function registerProxyRoutes(fastify: FastifyInstance, deps: ProxyDeps): Promise<void> {
  const proxies = new Map(
    deps.pools
      .names()
      .map((name) => [
        name,
        new UpstreamProxyService(name, deps.pools.get(name), deps.pools.origin(name), deps),
      ]),
  );
  for (const route of deps.routes) {
    await fastify.register(async (scope) => {
      scope.addHook('onRequest', edgeAuth(methodPolicy(route.access), deps.tokens));
      scope.addHook('onRequest', deps.limitRequests);
      if (route.loginLimit) {
        scope.addHook('preParsing', limitBody(Math.min(deps.bodyLimitBytes, LOGIN_FORM_LIMIT_BYTES)));
        readLoginForm(scope);
        scope.addHook('preHandler', deps.limitLogins);
      } else {
        scope.addHook('preParsing', limitBody(deps.bodyLimitBytes));
        streamBodiesUnread(scope);
      }
      const { forward } = proxies.get(route.upstream)!;
      for (const url of fastifyRoutes(route)) scope.route({ method: ROUTED_METHODS, url, handler: forward });
    });
  }
}

/** The Fastify routes of an entry: its path itself, the paths below it, or both. */
function fastifyRoutes({ path, match }: ProxyRoute): string[] {
  if (match === 'exact') return [path];
  if (match === 'below') return [`${path}/*`];
  return [path, `${path}/*`];
}

/** Request bodies of every type go to the service as the unread stream they arrive as. */
function streamBodiesUnread(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
}
