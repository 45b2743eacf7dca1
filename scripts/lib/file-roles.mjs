// The closed set of file roles (docs/architecture.md, "Files: one role each") and the
// rule that names a file's classes after it. Used by `npm run check:shape`.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Every role a source file may have: the last dot-separated part of its name before `.ts`. */
export const ROLES = new Set([
  // Nest's building blocks
  'module',
  'controller',
  'service',
  'handler',
  'command',
  'repository',
  'entity',
  'dto',
  'query',
  'response',
  'guard',
  'interceptor',
  'filter',
  'pipe',
  'decorator',
  // Fastify's
  'hook',
  'routes',
  // contracts and settings
  'events',
  'subscriptions',
  'errors',
  'config',
  'options',
  'metrics',
  'migration',
  // kinds of code with no framework role
  'model',
  'factory',
  'store',
  'client',
  'policy',
  // tests
  'spec',
  'e2e-spec',
  'fixture',
]);

/** Files named after the command that runs them, and folders' public faces. */
export const ENTRY_POINTS = new Set([
  'main.ts',
  'migrate.ts',
  'tracing.ts',
  'reset-admin-password.ts',
  'rotate-signing-key.ts',
  'index.ts',
]);

const pascal = (kebab) =>
  kebab
    .split('-')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');

/** `{ name, role }` of a file name, or undefined when it has no role. */
export function roleOf(file) {
  const parts = basename(file, '.ts').split('.');
  return parts.length < 2 ? undefined : { name: parts[0], role: parts.at(-1) };
}

/**
 * The classes of a file that break the naming rule. A file's classes end in its role
 * (PascalCase) and one is named after the file (`order-transitions.service.ts` →
 * `OrderTransitionsService`); the comparison ignores case, so `OpenApi` and `OAuth` read
 * well. Specs and fixtures are free. Entities are the plain noun (`order.entity.ts` → `Order`), migrations
 * the noun and timestamp TypeORM needs (`1764…-create-users` → `CreateUsers1764…`), and an
 * errors file holds a family of `…Error` classes.
 */
export function misnamedClasses(file) {
  const parsed = roleOf(file);
  if (!parsed || ['spec', 'e2e-spec', 'fixture'].includes(parsed.role)) return [];
  const classes = [...readFileSync(file, 'utf8').matchAll(/^export (?:abstract )?class (\w+)/gm)].map(
    (match) => match[1],
  );
  if (classes.length === 0) return [];
  const { name, role } = parsed;
  const same = (a, b) => a.toLowerCase() === b.toLowerCase();
  if (role === 'errors') return classes.filter((cls) => !cls.endsWith('Error'));
  if (role === 'migration') {
    const [, stamp, rest] = /^(\d+)-(.+)$/.exec(name) ?? [];
    return classes.filter((cls) => !same(cls, `${pascal(rest ?? name)}${stamp ?? ''}`));
  }
  const suffix = role === 'entity' ? '' : pascal(role);
  const principal = `${pascal(name)}${suffix}`;
  if (!classes.some((cls) => same(cls, principal))) return classes;
  return classes.filter((cls) => !cls.endsWith(suffix) && !same(cls, principal));
}
