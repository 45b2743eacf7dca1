// Property-based fuzzing with fast-check: for every operation, path, query, headers and body
// drawn from its OpenAPI document (well-formed values mixed with hostile ones), sent through
// the gateway and straight to the service. Never a 5xx or a dropped connection. The status
// must also be one the document lists: while a document lists no 4xx for an operation, that
// is counted and printed apart; once it lists any, it fails the run too.
import fc from 'fast-check';
import { adminLogin, newWorld } from '../lib/actors.mjs';
import { call } from '../lib/http.mjs';
import { declaresClientErrors, isDocumented, label, resolver } from '../lib/operations.mjs';
import { fail, figures, progress } from '../lib/results.mjs';
import { GATEWAY, ORIGINS, unhealthy } from '../lib/system.mjs';

const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "' OR 1=1--",
    '../../etc/passwd',
    '%00',
    '{"$ne":null}',
    '<script>',
    '-1',
    '1e999',
    'NaN',
    '🙂',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer().map(String),
);

/** Values for a schema: mostly of its type, sometimes anything JSON. */
function fromSchema(schema, resolve, depth = 0) {
  const s = resolve(schema) ?? {};
  const typed = (() => {
    if (s.enum) return fc.constantFrom(...s.enum);
    if (s.type === 'object' || s.properties) {
      if (depth > 3) return fc.object();
      const shape = Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, v]) => [k, fromSchema(v, resolve, depth + 1)]),
      );
      return fc.record(shape, { requiredKeys: [] });
    }
    if (s.type === 'array') return fc.array(fromSchema(s.items, resolve, depth + 1), { maxLength: 5 });
    if (s.type === 'number' || s.type === 'integer') return fc.oneof(fc.integer(), fc.double());
    if (s.type === 'boolean') return fc.boolean();
    return fc.oneof(fc.string({ maxLength: 60 }), hostile);
  })();
  return fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
}

function requestArbitrary(op, world) {
  const resolve = resolver(op.document);
  const params = op.operation.parameters ?? [];
  const ids = [world.owner.id, world.order.id, world.item.id];
  const valueFor = (param) =>
    param.in === 'path'
      ? fc.oneof(fc.constantFrom(...ids), fc.uuid(), hostile)
      : fc.oneof(fromSchema(param.schema, resolve), hostile);
  const pick = (where) =>
    fc.record(Object.fromEntries(params.filter((p) => p.in === where).map((p) => [p.name, valueFor(p)])), {
      requiredKeys: [],
    });
  const content = op.operation.requestBody?.content ?? {};
  const body = content['application/json']
    ? fromSchema(content['application/json'].schema, resolve)
    : fc.constant(undefined);
  return fc.record({
    path: pick('path'),
    query: pick('query'),
    headers: pick('header'),
    body,
    viaGateway: fc.boolean(),
  });
}

/** A generated value as the text a client would send: any JSON value, even `{ toString: [] }`. */
const text = (value) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));

export async function fuzz({ operations, long }) {
  const runs = long ? 2000 : 100;
  const admin = (await adminLogin()).access_token;
  const world = await newWorld(admin);
  let total = 0;
  let undocumented = 0;
  const fiveHundreds = [];
  for (const op of operations) {
    const strict = declaresClientErrors(op);
    const seen = new Map();
    const property = fc.asyncProperty(requestArbitrary(op, world), async (r) => {
      const path = op.path.replace(/\{([^}]+)\}/g, (_, name) =>
        encodeURIComponent(text(r.path[name] ?? 'x')),
      );
      const headers = Object.fromEntries(
        Object.entries(r.headers).map(([k, v]) => [k, text(v).replace(/[^\x20-\x7e]/g, '')]),
      );
      const answer = await call(r.viaGateway ? GATEWAY : ORIGINS[op.service], {
        method: op.method,
        path,
        query: Object.fromEntries(Object.entries(r.query).map(([k, v]) => [k, text(v)])),
        headers,
        body: r.body,
        token: admin,
      });
      total++;
      if (!isDocumented(op, answer.status)) {
        undocumented++;
        seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
      }
      if (answer.status === 0 || answer.status >= 500)
        fiveHundreds.push(`${label(op)}: ${answer.status || answer.error}`);
      return answer.status !== 0 && answer.status < 500 && (!strict || isDocumented(op, answer.status));
    });
    try {
      await fc.assert(property, { numRuns: runs, endOnFailure: false });
    } catch (error) {
      fail('fuzz', `${label(op)}: ${error.message.split('\n').slice(0, 3).join(' ')}`);
    }
    const extra = [...seen].map(([s, n]) => `${s}×${n}`).join(' ');
    progress(
      `${label(op)}: ${runs} runs${extra ? `; statuses not in its document: ${extra}${strict ? '' : ' (counted, not failed)'}` : ''}`,
    );
  }
  const down = await unhealthy();
  if (down.length) fail('fuzz', `not ready after fuzzing: ${down.join(', ')}`);
  figures.fuzz = `${operations.length} operations × ${runs} runs: ${total} requests, ${fiveHundreds.length} answers ≥ 500 or dropped, ${undocumented} statuses not in the document`;
  progress(figures.fuzz);
}
