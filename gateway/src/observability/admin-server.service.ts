import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistryService, HttpMetrics } from '@shop/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { writeAccessLog } from './access-log.hook';
import { GatewayMetrics } from './gateway.metrics';
import { registerHealthRoutes } from './health.routes';

/**
 * The admin listener (`ADMIN_PORT`): /metrics and the probes, for Prometheus
 * and the orchestrator only. A server of its own rather than a route on the
 * public one, so no public path, however spelled, can ever reach /metrics.
 */
@Injectable()
export class AdminServerService implements OnApplicationShutdown {
  readonly fastify: FastifyInstance = Fastify({ logger: false });

  constructor(metrics: HttpMetrics, health: HealthRegistryService, gatewayMetrics: GatewayMetrics) {
    // Counted and logged like the public server's requests (scrapes and probes at debug).
    gatewayMetrics.recordRequestDurations(this.fastify);
    this.fastify.addHook('onResponse', writeAccessLog);
    registerHealthRoutes(this.fastify, health);
    metrics.reportReadiness(() => health.readiness());
    this.fastify.get('/metrics', async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }

  /** Starts listening; resolves to the bound port (useful with port 0). */
  async listen(port: number, host: string): Promise<number> {
    await this.fastify.listen({ port, host });
    return (this.fastify.server.address() as AddressInfo).port;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.fastify.close();
  }
}
