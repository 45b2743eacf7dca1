import type { HealthRegistryService } from '@shop/shared';
import type { FastifyInstance } from 'fastify';

/**
 * The probes, on the public and the admin server alike. The gateway has no
 * database: it is ready as soon as it listens; Redis only degrades it (logins
 * are refused while the login limit cannot be checked).
 */
export function registerHealthRoutes(fastify: FastifyInstance, health: HealthRegistryService): void {
  fastify.get('/health/live', async () => ({ status: 'ok' }));
  fastify.get('/health/ready', async (_request, reply) => {
    const report = await health.readiness();
    return reply.status(report.status === 'down' ? 503 : 200).send(report);
  });
}
