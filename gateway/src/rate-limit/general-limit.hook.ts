import { normalizeIP } from '@fastify/rate-limit';
import { sendProblem } from '@shop/shared';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { GatewayMetrics } from '../observability/gateway.metrics';
import { setRateLimitHeaders, tooManyRequests, type Limiter } from './rate-limiter.factory';

const GENERAL = { limit: 'general' } as const;

/** Per verified user when the route needs a token, per client IP otherwise. */
export function generalLimitKey(request: FastifyRequest): string {
  return request.caller ? `user:${request.caller.sub}` : `ip:${normalizeIP(request.ip)}`;
}

/** `RATE_LIMIT_PER_MINUTE` on every proxied request, after the edge check has named the caller. */
export function generalLimit(limiter: Limiter, metrics: GatewayMetrics): onRequestAsyncHookHandler {
  return async function limitRequests(request, reply) {
    let verdict;
    try {
      verdict = await limiter(request);
    } catch {
      // Fails open: losing Redis must not take the whole API down with it.
      metrics.rateLimiterErrors.inc(GENERAL);
      return;
    }
    if (verdict.isAllowed) return;
    setRateLimitHeaders(reply, verdict);
    if (verdict.isExceeded) {
      metrics.rateLimited.inc(GENERAL);
      return sendProblem(
        request,
        reply,
        tooManyRequests(verdict.ttlInSeconds, 'Too many requests; slow down.'),
      );
    }
  };
}
