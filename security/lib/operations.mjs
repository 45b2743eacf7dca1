// Every operation the system offers, read at run time from the gateway's route table and each
// service's /openapi.json, with what SPEC says it needs: so the matrix and the fuzzing grow as
// the documents do. SPEC's rules that neither source states (which service-side scope a
// "token only" route needs, whose resource a path names) are the short table below.
import { ROUTE_TABLE } from '../../gateway/dist/routing/route-table.config.js';
import { call } from './http.mjs';
import { ORIGINS, SERVICES } from './system.mjs';

/** SPEC rules the services apply beyond the gateway's edge check. */
const SPEC_RULES = {
  'GET /api/v1/users': { needs: 'users:read' },
  'GET /api/v1/users/{id}': { owned: 'user', bypass: 'users:write' },
  'PATCH /api/v1/users/{id}': { owned: 'user', bypass: 'users:write' },
  'DELETE /api/v1/users/{id}': { owned: 'user', bypass: 'users:write' },
  'GET /api/v1/orders/{id}': { owned: 'order', bypass: 'orders:all' },
  'POST /api/v1/orders/{id}/cancel': { owned: 'order', bypass: 'orders:all' },
};
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function routeFor(method, path) {
  const concrete = path.replace(/\{[^}]+\}/g, 'x');
  return ROUTE_TABLE.find((route) => {
    const exact = concrete === route.path;
    const below = concrete.startsWith(`${route.path}/`);
    const matches = route.match === 'exact' ? exact : route.match === 'below' ? below : exact || below;
    return matches && route.access[method] !== undefined;
  });
}

/** Resolves `$ref`s (and a lone `allOf`) within one document. */
export function resolver(document) {
  const resolve = (schema) => {
    if (!schema) return schema;
    if (schema.$ref)
      return resolve(
        schema.$ref
          .split('/')
          .slice(1)
          .reduce((node, key) => node[key], document),
      );
    return schema;
  };
  return resolve;
}

/**
 * `[{ service, method, path, operation, document, access, needs, owned, bypass, problems }]`:
 * `access` is the route table's ('public', 'authenticated' or a scope), `needs` the scope a
 * token must hold, `problems` what disagrees between the sources (an undocumented route…).
 */
export async function loadOperations() {
  const operations = [];
  for (const service of SERVICES) {
    const answer = await call(ORIGINS[service], { path: '/openapi.json' });
    if (answer.status !== 200) throw new Error(`${service} has no /openapi.json (${answer.status})`);
    const document = answer.json;
    for (const [path, item] of Object.entries(document.paths ?? {}))
      for (const verb of METHODS.filter((m) => item[m])) {
        const method = verb.toUpperCase();
        const route = routeFor(method, path);
        const rule = SPEC_RULES[`${method} ${path}`] ?? {};
        const access = route?.access[method];
        const needs = rule.needs ?? (access && !['public', 'authenticated'].includes(access) ? access : null);
        const problems = [];
        if (!route) problems.push('documented but not in the gateway route table');
        else if (route.upstream !== service) problems.push(`the route table sends it to ${route.upstream}`);
        operations.push({
          service,
          method,
          path,
          operation: item[verb],
          document,
          access,
          needs,
          ...rule,
          problems,
        });
      }
  }
  return operations;
}

/** The statuses an operation's document lists (numbers; `4XX`-style ranges as '4XX'). */
export const documentedStatuses = (op) => Object.keys(op.operation.responses ?? {});

export const isDocumented = (op, status) =>
  documentedStatuses(op).some((listed) => listed === String(status) || listed === `${String(status)[0]}XX`) ||
  documentedStatuses(op).includes('default');

/** The document declares at least one 4xx for the operation: its status check is then strict. */
export const declaresClientErrors = (op) => documentedStatuses(op).some((listed) => listed.startsWith('4'));

export const label = (op) => `${op.method} ${op.path}`;
