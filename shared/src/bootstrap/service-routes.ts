import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { HealthRegistry } from '../health/health.registry';
import { Metrics } from '../metrics/metrics';

/**
 * The operational routes every process serves. They are plain Fastify routes,
 * outside Nest's guards and pipes: probes and scrapes need no token and must
 * stay cheap.
 */
export function registerServiceRoutes(
  app: INestApplication,
  fastify: FastifyInstance,
  service: string,
): void {
  const health = app.get(HealthRegistry);
  const metrics = app.get(Metrics);

  fastify.get('/health/live', async () => ({ status: 'ok' }));
  fastify.get('/health/ready', async (_request, reply) => {
    const report = await health.readiness();
    return reply.status(report.status === 'down' ? 503 : 200).send(report);
  });
  fastify.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Shop ${service} service`)
      .setVersion('1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  fastify.get('/openapi.json', async () => document);
}

/** Records `http_request_duration_seconds` with the route template, never the raw URL. */
export function recordRequestDurations(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
