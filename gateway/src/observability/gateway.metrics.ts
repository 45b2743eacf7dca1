import { Injectable } from '@nestjs/common';
import { HttpMetrics } from '@shop/shared';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';

export type UpstreamFailure = 'unavailable' | 'timeout' | 'bad_response';
export type RateLimitName = 'general' | 'login';

/** What the gateway adds to the metrics every process has. */
@Injectable()
export class GatewayMetrics {
  /** Requests the gateway answered itself because a service failed them. */
  readonly upstreamErrors: Counter<'upstream' | 'reason'>;
  /** Requests refused with 429. */
  readonly rateLimited: Counter<'limit'>;
  /** Limiter checks that could not reach Redis (general: let through; login: refused). */
  readonly rateLimiterErrors: Counter<'limit'>;
  /** Authenticated WebSockets open on this replica. */
  readonly websocketConnections: Gauge;
  /** Pushes sent to WebSockets, by event type. */
  readonly websocketMessages: Counter<'type'>;

  constructor(readonly metrics: HttpMetrics) {
    const registers = [metrics.registry];
    this.upstreamErrors = new Counter({
      name: 'gateway_upstream_errors_total',
      help: 'Proxied requests that failed because the service was unavailable, too slow or answered badly',
      labelNames: ['upstream', 'reason'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests refused with 429 by a rate limit',
      labelNames: ['limit'],
      registers,
    });
    this.rateLimiterErrors = new Counter({
      name: 'gateway_rate_limiter_errors_total',
      help: 'Rate limit checks that failed because Redis was unavailable',
      labelNames: ['limit'],
      registers,
    });
    this.websocketConnections = new Gauge({
      name: 'gateway_websocket_connections',
      help: 'Authenticated WebSocket connections open on this replica',
      registers,
    });
    this.websocketMessages = new Counter({
      name: 'gateway_websocket_messages_total',
      help: 'Messages pushed to WebSocket clients',
      labelNames: ['type'],
      registers,
    });
  }

  /**
   * Records `http_request_duration_seconds` for every response of the public
   * server. The route label is the route's template (for proxied requests the
   * route table path, e.g. `/api/v1/items/*`), never the raw URL.
   */
  recordRequestDurations(fastify: FastifyInstance): void {
    const histogram = this.metrics.httpDuration;
    fastify.addHook('onResponse', (request, reply, done) => {
      histogram.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}
