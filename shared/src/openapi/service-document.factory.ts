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
        { type: 'oauth2', flows: { password: { tokenUrl: '/auth/token', scopes: SCOPE_DESCRIPTIONS } } },
        'OAuth2',
      )
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
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
  return document;
}
