// A well-formed request for an operation, acting on a world's resources (lib/actors.mjs): the
// matrix asks who may call it, so the request must be one the operation could honour.
import { Blob } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { resolver } from './operations.mjs';

// 1×1 transparent PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const KNOWN_BODIES = {
  'POST /api/v1/users': () => {
    const username = `sec${randomBytes(5).toString('hex')}`;
    return { username, email: `${username}@example.com`, password: 'Sec-Cust-123x' };
  },
  'PATCH /api/v1/users/{id}': () => ({ age: 33 }),
  'POST /api/v1/items': () => ({ name: 'Matrix item', description: 'x', price: '1.00', tax: '0.19' }),
  'PUT /api/v1/items/{id}': () => ({ name: 'Matrix item', description: 'y', price: '2.00', tax: '0.38' }),
  'POST /api/v1/orders': (world) => ({ lines: [{ itemId: world.item.id, quantity: 1 }] }),
  'POST /api/v1/inventory/{itemId}/adjustments': () => ({ delta: 1, reason: 'matrix' }),
};

/** The id a path parameter names: the owner's user, their order, or the world's item. */
function idFor(op, world) {
  if (op.service === 'users') return world.owner.id;
  if (op.service === 'orders') return world.order.id;
  return world.item.id;
}

/** A value matching a (resolved) schema, for operations without a known body. */
export function exampleOf(schema, resolve) {
  const s = resolve(schema) ?? {};
  if (s.example !== undefined) return s.example;
  if (s.enum) return s.enum[0];
  if (s.type === 'object' || s.properties) {
    const out = {};
    for (const name of s.required ?? []) out[name] = exampleOf(s.properties?.[name], resolve);
    return out;
  }
  if (s.type === 'array') return [exampleOf(s.items, resolve)];
  if (s.type === 'number' || s.type === 'integer') return s.minimum ?? 1;
  if (s.type === 'boolean') return false;
  return 'x';
}

/** `{ path, query, headers, body | form | multipart }` for `op` in `world`. */
export function sampleRequest(op, world) {
  const key = `${op.method} ${op.path}`;
  const path = op.path.replace(/\{[^}]+\}/g, () => idFor(op, world));
  if (key === 'POST /auth/token')
    return {
      path,
      form: { grant_type: 'password', username: world.owner.username, password: 'Sec-Cust-123x' },
    };
  if (key === 'POST /auth/revoke') return { path, form: { token: 'not-a-token' } };
  if (key === 'PUT /api/v1/items/{id}/image') {
    const multipart = new globalThis.FormData();
    multipart.append('file', new Blob([PNG], { type: 'image/png' }), 'dot.png');
    return { path, multipart };
  }
  const content = op.operation.requestBody?.content?.['application/json'];
  const body =
    KNOWN_BODIES[key]?.(world) ?? (content ? exampleOf(content.schema, resolver(op.document)) : undefined);
  return { path, body };
}
