import { normalizeIP } from '@fastify/rate-limit';
import { sendProblem } from '@shop/shared';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { GatewayMetrics } from '../observability/gateway.metrics';
import { rateLimited } from '../gateway.errors';
import { setRateLimitHeaders, type RateLimiterService } from './rate-limiter.service';

const GENERAL = { limit: 'general' } as const;

/** Per verified user when the route needs a token, per client IP otherwise. */
export function generalLimitKey(request: FastifyRequest): string {
  return request.caller ? `user:${request.caller.sub}` : `ip:${normalizeIP(request.ip)}`;
}

/** `RATE_LIMIT_PER_MINUTE` on every proxied request, after the edge check has named the caller. */
export function generalLimit(limiter: RateLimiterService, metrics: GatewayMetrics): onRequestHookHandler {
  return function limitRequests(request, reply, done) {
    limiter.take(generalLimitKey(request), (error, verdict) => {
      if (error || !verdict) {
        // Fails open: losing Redis must not take the whole API down with it.
        metrics.rateLimiterErrors.inc(GENERAL);
        return done();
      }
      setRateLimitHeaders(reply, verdict);
      if (!verdict.exceeded) return done();
      metrics.rateLimited.inc(GENERAL);
      sendProblem(request, reply, rateLimited(verdict.resetSeconds));
    });
  };
}
