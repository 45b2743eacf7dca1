import type { FastifyInstance } from 'fastify';

/**
 * `GET /asyncapi.json`: the AsyncAPI 3.0 document of every event, as
 * `asyncApiDocument` from @shop/shared builds it from the contracts the bus
 * checks, with the gateway's own subscriptions among the receivers. Built
 * once at start: it changes only with the code.
 */
export function registerAsyncApiRoutes(fastify: FastifyInstance, document: object): void {
  const body = JSON.stringify(document);
  fastify.get('/asyncapi.json', (_request, reply) =>
    reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=300').send(body),
  );
}
