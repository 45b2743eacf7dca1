import { sendProblem } from '@shop/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { docsFileNotFound, docsUnavailable } from '../gateway.errors';
import type { OpenApiCatalogService } from './openapi-catalog.service';

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
 * Swagger UI for the whole system at /docs, one definition per service in its
 * dropdown. The UI's files come from @fastify/swagger-ui's bundle, served
 * here from memory: that plugin's own routes expect @fastify/swagger and a
 * document built from this server's routes, while the gateway's documents are
 * the services' (`/docs/openapi/<service>.json`, see OpenApiCatalogService).
 */
export async function registerDocsRoutes(
  fastify: FastifyInstance,
  catalog: OpenApiCatalogService,
): Promise<void> {
  const assetsDir = join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
  const assets = new Map<string, Buffer>();
  for (const name of Object.keys(ASSETS)) assets.set(name, await readFile(join(assetsDir, name)));
  const urls = catalog.services().map((service) => ({ name: service, url: `/docs/openapi/${service}.json` }));
  const initializerJs = initializer(urls);

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

  for (const service of catalog.services()) {
    fastify.get(`/docs/openapi/${service}.json`, async (request, reply) => {
      try {
        return await catalog.document(service);
      } catch (error) {
        const problem = docsUnavailable(service);
        problem.cause = error;
        return sendProblem(request, reply, problem);
      }
    });
  }
}
