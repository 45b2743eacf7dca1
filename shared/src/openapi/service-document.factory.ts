import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SCOPE_DESCRIPTIONS } from '../contracts/scopes.model';
import { problemResponse, type ProblemStatus } from './api-problems.decorator';
import { ProblemResponse } from './problem.response';

/** Extensions the auth decorators leave on an operation for this factory to read (then removed). */
export const PUBLIC_EXTENSION = 'x-shop-public';
export const SCOPES_EXTENSION = 'x-shop-scopes';

type Operation = {
  description?: string;
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
  [extension: string]: unknown;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const TOKEN_URL = '/auth/token';
// What a client may rely on about the tokens (Spectral's OWASP rules ask for RFC8725 by name).
const TOKENS =
  'Access tokens are JWTs signed with EdDSA or ES256 and checked as RFC8725 advises: only those ' +
  'algorithms, and the issuer, audience and expiry, are enforced. They live at most 15 minutes; a refresh ' +
  'token renews them.';

/**
 * Adds what every operation has because of the platform, so no controller
 * repeats it: its security requirement (none when public, else OAuth2 with
 * the scopes the guard enforces), the 401/403 that follow from it, a 400 when
 * it reads input, a 404 when its path names a resource, and the 503 of a lost
 * database. Answers a controller documents itself are left as they are.
 */
function completeOperation(path: string, operation: Operation): void {
  const isPublic = operation[PUBLIC_EXTENSION] === true;
  const scopes = (operation[SCOPES_EXTENSION] as string[] | undefined) ?? [];
  delete operation[PUBLIC_EXTENSION];
  delete operation[SCOPES_EXTENSION];
  const problems: ProblemStatus[] = [503];
  if (isPublic) operation.security = [];
  else {
    operation.security = [{ OAuth2: scopes }, { bearer: [] }];
    problems.push(401);
    if (scopes.length > 0) {
      problems.push(403);
      const needs = `Requires the scope${scopes.length > 1 ? 's' : ''} ${scopes.map((s) => `\`${s}\``).join(' and ')}.`;
      operation.description = operation.description ? `${operation.description}\n\n${needs}` : needs;
    }
  }
  const readsInput =
    Boolean(operation.requestBody) || (operation.parameters ?? []).some((p) => p.in !== 'header');
  if (readsInput) problems.push(400);
  if (path.includes('{')) problems.push(404);
  for (const status of problems) operation.responses[status] ??= problemResponse(status);
}

/**
 * The OpenAPI document of a service, generated from its controllers and DTOs:
 * served at /openapi.json, linted in CI, and the source of the typed client.
 */
export function serviceDocument(app: INestApplication, service: string): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Shop ${service} service`)
      .setDescription(
        `The ${service} service of Shop, a reference microservices system. Reached through the gateway, ` +
          'which checks the same tokens and scopes first; every error is `application/problem+json` (RFC 9457).',
      )
      .setVersion('1.0')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      .addOAuth2(
        {
          type: 'oauth2',
          description: `${TOKENS} Ask for one with your username and password.`,
          // Both grants are answered by the one token endpoint (RFC 6749 §4.3 and §6).
          flows: { password: { tokenUrl: TOKEN_URL, refreshUrl: TOKEN_URL, scopes: SCOPE_DESCRIPTIONS } },
        },
        'OAuth2',
      )
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `${TOKENS} Paste one you already have.`,
        },
        'bearer',
      )
      .build(),
    { extraModels: [ProblemResponse] },
  );
  document.info.contact = { name: 'Shop maintainers', url: 'http://localhost:8080/docs' };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation) completeOperation(path, operation);
    }
  }
  boundFixedLengthStrings(document);
  return document;
}

// Strings whose format fixes their length: a UUID is 36 characters, an ISO 8601 instant at most 35.
const FORMAT_MAX_LENGTH: Record<string, number> = { uuid: 36, 'date-time': 35 };
const INT32_MAX = 2 ** 31 - 1;

/** Gives every such string its `maxLength`, and every small bounded integer its format, so no DTO repeats them. */
function boundFixedLengthStrings(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(boundFixedLengthStrings);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as { type?: unknown; format?: unknown; maxLength?: number; maximum?: number };
  const max = typeof schema.format === 'string' ? FORMAT_MAX_LENGTH[schema.format] : undefined;
  if (schema.type === 'string' && max !== undefined) schema.maxLength ??= max;
  // An integer bounded within 32 bits is an int32, whatever DTO declared it.
  if (schema.type === 'integer' && schema.format === undefined && (schema.maximum ?? Infinity) <= INT32_MAX)
    schema.format = 'int32';
  Object.values(node).forEach(boundFixedLengthStrings);
}
