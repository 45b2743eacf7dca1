/** The parts of an OpenAPI 3.0 document the edge reads and writes; everything else passes through. */
export interface Response {
  description: string;
  headers?: Record<string, object>;
  content?: Record<string, object>;
}
export interface Operation {
  requestBody?: unknown;
  responses: Record<string, Response>;
  [key: string]: unknown;
}
export type PathItem = Partial<Record<'get' | 'put' | 'post' | 'patch' | 'delete', Operation>>;
export interface OpenApiDocument {
  openapi: string;
  info: object;
  paths: Record<string, PathItem>;
  servers?: object[];
  components?: {
    schemas?: Record<string, object>;
    securitySchemes?: Record<string, { flows?: { password?: { tokenUrl: string; refreshUrl?: string } } }>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

const PROBLEM_SCHEMA = '#/components/schemas/ProblemResponse';
const INT = { type: 'integer', format: 'int32', minimum: 0 };

/**
 * The headers the gateway puts on every answer of a limited route: where the
 * caller stands in its window (rate-limit/rate-limiter.service.ts), and CORS.
 */
export const EDGE_HEADERS: Record<string, object> = {
  'X-RateLimit-Limit': {
    description:
      'Requests allowed per minute: per user with a token, per client address without; on a password ' +
      'grant, the login limit per address and username. Absent while the limiter cannot count.',
    schema: { ...INT, maximum: 1_000_000 },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current one-minute window.',
    schema: { ...INT, maximum: 1_000_000 },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the current window ends and the allowance is whole again.',
    schema: { ...INT, maximum: 60 },
  },
  'Access-Control-Allow-Origin': {
    description: "The request's `Origin`, when it is one of the gateway's `CORS_ORIGINS`; absent otherwise.",
    schema: { type: 'string', format: 'uri', maxLength: 2048 },
  },
};

const RETRY_AFTER = {
  description: 'Seconds to wait before trying again.',
  schema: { ...INT, maximum: 3600 },
};

const MEANINGS: Record<number, string> = {
  401: 'No access token, or one that is expired, forged or revoked (refused at the gateway or the service).',
  403: 'The token lacks the scope this operation needs.',
  405: 'The method is not one this path takes; `Allow` lists those it does.',
  413: 'The request body is larger than the gateway accepts (`BODY_LIMIT_BYTES`).',
  415: 'The body is of a type the operation does not accept.',
  429: 'Too many requests from this caller (`RATE_LIMIT_PER_MINUTE`); wait for `Retry-After` seconds.',
  502: 'The service behind the gateway answered badly.',
  503: 'The service or one of its dependencies is unavailable; try again after `Retry-After` seconds.',
  504: 'The service behind the gateway did not answer in time.',
};

/** A problem+json answer of the gateway's own, in the shape of the services' (`ProblemResponse`). */
export function edgeProblem(status: number, detail = MEANINGS[status]): Response {
  const headers: Record<string, object> = {};
  if (status === 401)
    headers['WWW-Authenticate'] = {
      description: 'The RFC 6750 challenge, e.g. `Bearer error="invalid_token"`.',
      schema: { type: 'string', maxLength: 500, pattern: '^Bearer' },
    };
  if (status === 429 || status === 503) headers['Retry-After'] = RETRY_AFTER;
  const example = {
    type: 'about:blank',
    title: String(status),
    status,
    detail,
    instance: '/…',
    requestId: '…',
  };
  return {
    description: detail,
    headers,
    content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA }, example } },
  };
}
