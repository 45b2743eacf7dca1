import type { ProxyRoute } from './route-access.model';

/** The variable that holds a service's origin: `items` → `ITEMS_URL`, `order-history` → `ORDER_HISTORY_URL`. */
export type UrlVariable = `${string}_URL`;

/** The services a route table forwards to, each once, in the table's order. */
export function upstreamNames(routes: readonly ProxyRoute[]): string[] {
  return [...new Set(routes.map((route) => route.upstream))];
}

export function urlVariable(upstream: string): UrlVariable {
  return `${upstream.toUpperCase().replaceAll('-', '_')}_URL`;
}
