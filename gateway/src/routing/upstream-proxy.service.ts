import { sendProblem } from '@shop/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'undici';
import type { GatewayMetrics } from '../observability/gateway.metrics';
import { headersForService } from './forwarded-headers.model';
import { UpstreamExchangeService } from './upstream-exchange.service';
import { classifyUpstreamFailure, upstreamProblem } from './upstream-failure.errors';

export interface ForwardDeps {
  metrics: GatewayMetrics;
  /** Whether the X-Forwarded-For received (from a trusted load balancer) is kept and extended. */
  trustProxy: boolean;
}

/**
 * Forwards requests to one service over its keep-alive pool, with undici's
 * `dispatch`: the answer's headers and chunks arrive as callbacks, with no
 * stream or promise made for them unless the body is long enough to stream.
 * Request bodies stream to the service as they arrive (the pool's timeouts
 * bound the wait for headers and for each body chunk).
 */
export class UpstreamProxyService {
  private readonly host: string;

  constructor(
    readonly upstream: string,
    private readonly pool: Pool,
    origin: string,
    private readonly deps: ForwardDeps,
  ) {
    this.host = new URL(origin).host;
  }

  /** The route handler: the request has passed every edge check. */
  readonly forward = (request: FastifyRequest, reply: FastifyReply): void => {
    this.dispatch(
      new UpstreamExchangeService(
        this,
        request,
        reply,
        headersForService(request, this.host, this.deps.trustProxy),
      ),
    );
  };

  dispatch(exchange: UpstreamExchangeService): void {
    this.pool.dispatch(exchange.options, exchange);
  }

  /** The client's answer instead of the service's, counted by reason. */
  fail(request: FastifyRequest, reply: FastifyReply, error: Error): void {
    const reason = classifyUpstreamFailure(error);
    this.deps.metrics.upstreamErrors.inc({ upstream: this.upstream, reason });
    if (!reply.sent) sendProblem(request, reply, upstreamProblem(this.upstream, reason, error));
  }
}
