import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { HealthRegistryService } from '../health/health-registry.service';
import type { AccessLogLevel } from '../logging/access-log.service';
import { HttpMetrics } from '../metrics/http.metrics';
import { serviceDocument } from '../openapi/service-document.factory';

// Probes, scrapes and document fetches are polled every few seconds: logged
// at info, their lines would bury the API's. They are still counted in metrics.
const POLLED: { config: { accessLog: AccessLogLevel } } = { config: { accessLog: 'debug' } };

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
  const health = app.get(HealthRegistryService);
  const metrics = app.get(HttpMetrics);
  metrics.reportReadiness(() => health.readiness());

  fastify.get('/health/live', POLLED, async () => ({ status: 'ok' }));
  fastify.get('/health/ready', POLLED, async (_request, reply) => {
    const report = await health.readiness();
    return reply.status(report.status === 'down' ? 503 : 200).send(report);
  });
  fastify.get('/metrics', POLLED, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  const document = serviceDocument(app, service);
  fastify.get('/openapi.json', POLLED, async () => document);
}
