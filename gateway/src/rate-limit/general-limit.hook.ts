import { normalizeIP } from '@fastify/rate-limit';
import { sendProblem } from '@shop/shared';
import type { FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify';
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

// What the edge check refuses before the general limit has counted the request.
const REFUSED_AT_THE_EDGE = new Set([401, 403, 405]);

/**
 * Counts the requests the edge check refused (a missing or bad token, a
 * missing scope, a method not routed), per client address, so that every
 * answer of a limited route says where its caller stands, as the documents
 * promise, and a stream of bad tokens uses up its address's allowance. The
 * refusal itself stands; a Redis failure leaves it without the headers.
 */
export function countRefusals(limiter: RateLimiterService, metrics: GatewayMetrics): onSendHookHandler {
  return function countRefusal(request, reply, payload, done) {
    if (!REFUSED_AT_THE_EDGE.has(reply.statusCode) || reply.hasHeader('x-ratelimit-limit'))
      return done(null, payload);
    limiter.take(generalLimitKey(request), (error, verdict) => {
      if (error || !verdict) metrics.rateLimiterErrors.inc(GENERAL);
      else setRateLimitHeaders(reply, verdict);
      done(null, payload);
    });
  };
}
