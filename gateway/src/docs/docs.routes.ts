import { sendProblem } from '@shop/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { docsFileNotFound, docsUnavailable } from '../gateway.errors';
import { ROUTE_TABLE } from '../routing/route-table.config';
import { edgeDocument } from './edge-document.factory';
import { gatewayDocument } from './gateway-document.factory';
import type { OpenApiCatalogService } from './openapi-catalog.service';

/** The gateway's own document, beside the services' in the list. */
const GATEWAY = 'gateway';

const ASSETS: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

// The API's own policy (set by helmet on every response) forbids everything;
// the page needs its own scripts, styles (some inline) and data: images.
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Shop API</title>
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
  <link rel="stylesheet" href="/docs/static/index.css">
  <link rel="icon" type="image/png" href="/docs/static/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <p style="font-family: sans-serif; margin: 8px 20px">
    The WebSocket's messages: <a href="/asyncapi.json">AsyncAPI document (/asyncapi.json)</a>
  </p>
  <div id="swagger-ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script src="/docs/static/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/static/swagger-initializer.js"></script>
</body>
</html>
`;

const initializer = (urls: { name: string; url: string }[]) => `window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: ${JSON.stringify(urls)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    validatorUrl: null,
    persistAuthorization: true,
  });
};
`;

/**
 * Swagger UI for the whole system at /docs: one definition per service in its
 * dropdown, then the gateway's own, each as a client of the gateway sees it
 * (`/docs/openapi/<name>.json`, edgeDocument). The UI's files come from
 * @fastify/swagger-ui's bundle, served here from memory: that plugin's own
 * routes expect @fastify/swagger and a document built from this server's routes.
 * The documents are rate-limited like the API (`limitRequests`), so they carry
 * the headers they describe.
 */
export async function registerDocsRoutes(
  fastify: FastifyInstance,
  catalog: OpenApiCatalogService,
  limitRequests: onRequestHookHandler,
): Promise<void> {
  const assetsDir = join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
  const assets = new Map<string, Buffer>();
  for (const name of Object.keys(ASSETS)) assets.set(name, await readFile(join(assetsDir, name)));
  const names = [...catalog.services(), GATEWAY];
  const initializerJs = initializer(names.map((name) => ({ name, url: `/docs/openapi/${name}.json` })));

  const page = (_request: unknown, reply: FastifyReply) =>
    reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(PAGE);
  fastify.get('/docs', page);
  fastify.get('/docs/', page);
  fastify.get('/docs/static/swagger-initializer.js', (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(initializerJs),
  );
  fastify.get<{ Params: { file: string } }>('/docs/static/:file', (request, reply) => {
    const body = assets.get(request.params.file);
    if (!body) throw docsFileNotFound(request.params.file);
    return reply
      .type(ASSETS[request.params.file])
      .header('cache-control', 'public, max-age=86400')
      .send(body);
  });

  await fastify.register(async (scope) => {
    scope.addHook('onRequest', limitRequests);
    scope.get<{ Params: { file: string } }>('/docs/openapi/:file', async (request, reply) => {
      const name = request.params.file.replace(/\.json$/, '');
      if (!names.includes(name) || !request.params.file.endsWith('.json'))
        throw docsFileNotFound(request.params.file);
      try {
        return await servedDocument(catalog, name, gatewayOrigin(request));
      } catch (error) {
        const problem = docsUnavailable(name);
        problem.cause = error;
        return sendProblem(request, reply, problem);
      }
    });
  });
}

/** The document `name` as served: a service's with the edge's additions, or the gateway's own. */
async function servedDocument(catalog: OpenApiCatalogService, name: string, gatewayUrl: string) {
  // The gateway's document borrows the platform's problem schema and security schemes from a service's.
  const source = await catalog.document(name === GATEWAY ? catalog.services()[0] : name);
  return name === GATEWAY
    ? gatewayDocument(source, gatewayUrl)
    : edgeDocument(source, { gatewayUrl, routes: ROUTE_TABLE });
}

/** The gateway as this client reached it (the scheme as a trusted proxy reports it), for `servers` and `tokenUrl`. */
function gatewayOrigin(request: FastifyRequest): string {
  const origin = `${request.protocol}://${request.host}`;
  return URL.canParse(origin) ? new URL(origin).origin : 'http://localhost:8080';
}
