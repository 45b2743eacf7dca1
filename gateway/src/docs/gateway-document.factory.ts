import { AUTHENTICATED, PUBLIC, type ProxyRoute } from '../routing/route-access.model';
import { edgeDocument, type OpenApiDocument } from './edge-document.factory';
import { EDGE_HEADERS, edgeProblem } from './edge-responses.model';

/** The gateway's own routes as route table entries, so the edge describes them like the proxied ones. */
export const GATEWAY_ROUTES: readonly ProxyRoute[] = [
  { path: '/ws/tickets', match: 'exact', upstream: 'gateway', access: { POST: AUTHENTICATED } },
  { path: '/ws', match: 'exact', upstream: 'gateway', access: { GET: PUBLIC } },
  { path: '/asyncapi.json', match: 'exact', upstream: 'gateway', access: { GET: PUBLIC } },
  { path: '/docs/openapi', match: 'below', upstream: 'gateway', access: { GET: PUBLIC } },
];

const SECURED = [{ OAuth2: [] }, { bearer: [] }];
const JSON_DOCUMENT = {
  'application/json': { schema: { type: 'object', additionalProperties: true, maxProperties: 100 } },
};

const PATHS = {
  '/ws/tickets': {
    post: {
      operationId: 'issueWsTicket',
      summary: 'Get a one-time WebSocket ticket',
      description:
        'For clients that cannot send a subprotocol (browsers): `GET /ws?ticket=…` within `expiresIn` ' +
        'seconds, once. Any valid access token; the socket then receives what that user may see.',
      tags: ['websocket'],
      security: SECURED,
      responses: {
        201: {
          description: 'A ticket, valid once and for at most 30 seconds.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['ticket', 'expiresIn'],
                properties: {
                  ticket: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', maxLength: 43 },
                  expiresIn: { type: 'integer', format: 'int32', minimum: 1, maximum: 30 },
                },
              },
              example: { ticket: 'q4cXjR3Fh0m6a1nWZ2r9bq0wPzYkLd8sV5tUe7oAiGc', expiresIn: 30 },
            },
          },
        },
        503: edgeProblem(503, 'Tickets cannot be stored right now (Redis away); try again shortly.'),
      },
    },
  },
  '/ws': {
    get: {
      operationId: 'openWebSocket',
      summary: 'Open the WebSocket of pushed events',
      description:
        'The WebSocket handshake. Authenticate with the subprotocols `bearer, <access token>` or with ' +
        '`?ticket=` from `POST /ws/tickets`. Credentials are checked after the upgrade: a refusal is the ' +
        'close code 1008, an outage 1013. The messages are described at `/asyncapi.json`.',
      tags: ['websocket'],
      security: [],
      parameters: [
        {
          name: 'ticket',
          in: 'query',
          required: false,
          description: 'A ticket from `POST /ws/tickets`, for clients that cannot send a subprotocol.',
          schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', maxLength: 43 },
        },
      ],
      responses: {
        101: { description: 'Switching Protocols: the socket is open; its first message is `ready`.' },
        // A refused handshake is a bare status line with the edge's headers (ws-upgrade.hook.ts).
        400: { description: 'Not a valid WebSocket handshake.', headers: EDGE_HEADERS },
        403: { description: "The page's `Origin` is not one of `CORS_ORIGINS`.", headers: EDGE_HEADERS },
        429: {
          ...edgeProblem(429),
          headers: { ...EDGE_HEADERS, ...edgeProblem(429).headers },
          content: undefined,
        },
      },
    },
  },
  '/asyncapi.json': {
    get: {
      operationId: 'getAsyncApi',
      summary: 'The AsyncAPI document of the WebSocket',
      description:
        'Every event on the `shop.events` exchange, who sends and who receives it, as an AsyncAPI 3.0 document.',
      tags: ['documents'],
      security: [],
      responses: { 200: { description: 'The AsyncAPI document.', content: JSON_DOCUMENT } },
    },
  },
  '/docs/openapi/{name}.json': {
    get: {
      operationId: 'getOpenApi',
      summary: 'An OpenAPI document served by the gateway',
      description: "A service's document with what the gateway adds, or `gateway`: this one.",
      tags: ['documents'],
      security: [],
      parameters: [
        {
          name: 'name',
          in: 'path',
          required: true,
          schema: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 50 },
        },
      ],
      responses: {
        200: { description: 'The OpenAPI document.', content: JSON_DOCUMENT },
        404: edgeProblem(404, 'No document of that name.'),
        503: edgeProblem(503, "The service's document cannot be fetched and none is kept."),
      },
    },
  },
};

/**
 * The gateway's own routes as a document, with the edge's answers like every
 * other. The problem schema and the security schemes are the platform's, taken
 * from a service's document so that there is one definition of each.
 */
export function gatewayDocument(platform: OpenApiDocument, gatewayUrl: string): OpenApiDocument {
  const { schemas = {}, securitySchemes } = platform.components ?? {};
  const own: OpenApiDocument = {
    openapi: platform.openapi,
    info: {
      title: 'Shop gateway',
      description:
        'The routes the gateway answers itself: WebSocket tickets and the handshake, and the API documents. ' +
        'Every error is `application/problem+json` (RFC 9457).',
      version: '1.0',
      contact: { name: 'Shop maintainers', url: `${gatewayUrl}/docs` },
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    tags: [
      { name: 'websocket', description: 'Pushed events over a WebSocket.' },
      { name: 'documents', description: 'The OpenAPI and AsyncAPI documents.' },
    ],
    paths: structuredClone(PATHS) as unknown as OpenApiDocument['paths'],
    components: {
      schemas: { ProblemResponse: schemas.ProblemResponse, FieldErrorResponse: schemas.FieldErrorResponse },
      securitySchemes,
    },
  };
  const document = edgeDocument(own, { gatewayUrl, routes: GATEWAY_ROUTES, proxied: false });
  // The handshake is answered by the upgrade handler, which neither rate-limits nor sends CORS headers.
  document.paths['/ws'] = structuredClone(PATHS['/ws']) as unknown as OpenApiDocument['paths'][string];
  return document;
}
