import { PUBLIC, type Access, type ProxiedMethod, type ProxyRoute } from '../routing/route-access.model';
import { EDGE_HEADERS, edgeProblem, type OpenApiDocument, type Operation } from './edge-responses.model';

export type { OpenApiDocument } from './edge-responses.model';

/** What the edge needs to know to describe itself in a document. */
export interface EdgeFacts {
  /** The gateway's origin as its clients reach it, e.g. `http://localhost:8080`. */
  gatewayUrl: string;
  /** What the gateway forwards (or serves itself), and what each method needs at the edge. */
  routes: readonly ProxyRoute[];
  /** False for the gateway's own routes: no service behind them can fail (no 502/504). */
  proxied?: boolean;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/**
 * A service's document as a client of the gateway sees it: only the
 * operations the gateway routes, each with what the edge adds to it (the
 * 401/403 of its access rule, the 429 of the rate limits, 413 for a body,
 * 502/504 for a service that fails, and the rate-limit and CORS headers on
 * every answer), `servers` naming the gateway, and the token endpoint reached
 * through it. Pure, so the served documents and the gates (contract/lint.mjs)
 * are the same documents.
 */
export function edgeDocument(document: OpenApiDocument, facts: EdgeFacts): OpenApiDocument {
  const result = structuredClone(document);
  result.servers = [
    {
      url: facts.gatewayUrl,
      description: `The Shop gateway, ${environmentOf(facts.gatewayUrl)}: every path here is reached through it.`,
      'x-internal': false,
    },
  ];
  const password = result.components?.securitySchemes?.OAuth2?.flows?.password;
  if (password) {
    password.tokenUrl = new URL(password.tokenUrl, facts.gatewayUrl).href;
    if (password.refreshUrl) password.refreshUrl = new URL(password.refreshUrl, facts.gatewayUrl).href;
  }
  for (const [path, item] of Object.entries(result.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const route = routeOf(facts.routes, path);
      const access = route?.access[method.toUpperCase() as ProxiedMethod];
      // The gateway answers 404 or 405 for what it does not route: no client can call it.
      if (!route || access === undefined) delete item[method];
      else addEdgeAnswers(operation, access, route, facts.proxied ?? true);
    }
    if (!METHODS.some((method) => item[method])) delete result.paths[path];
  }
  return result;
}

/** Which kind of system answers at `url`: one on this machine, or a deployment. */
function environmentOf(url: string): string {
  const host = new URL(url).hostname;
  const loopback = host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  return loopback ? 'local (this machine)' : 'a deployment (staging or production)';
}

/** The route table entry that forwards `path` (a document path such as `/api/v1/users/{id}`). */
export function routeOf(routes: readonly ProxyRoute[], path: string): ProxyRoute | undefined {
  return routes.find(({ path: prefix, match }) => {
    if (path === prefix) return match !== 'below';
    return match !== 'exact' && path.startsWith(`${prefix}/`);
  });
}

function addEdgeAnswers(operation: Operation, access: Access, route: ProxyRoute, proxied: boolean): void {
  const responses = operation.responses;
  if (access !== PUBLIC) responses[401] ??= edgeProblem(401);
  if (access !== PUBLIC && access !== 'authenticated') responses[403] ??= edgeProblem(403);
  if (operation.requestBody) responses[413] ??= edgeProblem(413);
  if (route.loginLimit) {
    responses[415] ??= edgeProblem(415, 'The token endpoint takes `application/x-www-form-urlencoded` only.');
    responses[429] ??= edgeProblem(
      429,
      'Too many requests, or too many password attempts for this username from this address ' +
        '(`LOGIN_RATE_LIMIT_PER_MINUTE`); wait for `Retry-After` seconds.',
    );
  }
  responses[429] ??= edgeProblem(429);
  if (proxied) {
    responses[502] ??= edgeProblem(502);
    responses[504] ??= edgeProblem(504);
  }
  for (const response of Object.values(responses)) {
    response.headers = { ...EDGE_HEADERS, ...response.headers };
  }
}
