import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { leasedWindowStore } from './leased-window.store';

export type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
export type LimitVerdict = Awaited<ReturnType<Limiter>>;

export interface LimiterOptions {
  redis: Redis;
  /** Key prefix inside Redis (after the client's own prefix). */
  nameSpace: string;
  maxPerMinute: number;
  keyGenerator: (request: FastifyRequest) => string;
}

/**
 * A limit of @fastify/rate-limit: a fixed one-minute window per key, counted
 * in Redis (see LeasedWindowStore) and shared by every replica. The gateway
 * calls it itself, through `createRateLimit()`, rather than letting the
 * plugin hook every route: that way it decides when each check runs (after
 * the token is verified; after the login form is read) and what a Redis
 * failure means (the general limit lets the request through, the login
 * limit refuses it).
 *
 * The plugin decorates `createRateLimit` once per scope chain, so each limiter
 * is registered in a scope of its own.
 */
export async function createLimiter(fastify: FastifyInstance, options: LimiterOptions): Promise<Limiter> {
  let limiter: Limiter | undefined;
  const pluginOptions: RateLimitPluginOptions = {
    global: false,
    store: leasedWindowStore(options.redis, options.nameSpace),
    max: options.maxPerMinute,
    timeWindow: 60_000,
    keyGenerator: options.keyGenerator,
    // Failures reach the caller, which knows whether to fail open or closed.
    skipOnError: false,
  };
  await fastify.register(async (scope) => {
    await scope.register(rateLimit, pluginOptions);
    limiter = scope.createRateLimit();
  });
  return limiter!;
}

// Long enough for a reachable Redis, short enough not to hold up a start without one.
const CONNECT_WAIT_MS = 3_000;

/**
 * Waits (briefly) for the limiters' Redis connection, so the first requests
 * after a start are counted rather than let through (and logins refused) for
 * want of a connection. Settles early if the first attempt fails: the
 * gateway then starts degraded, and the client keeps reconnecting.
 */
export async function redisSettled(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const settle = () => {
      clearTimeout(timer);
      redis.off('ready', settle).off('error', settle);
      resolve();
    };
    const timer = setTimeout(settle, CONNECT_WAIT_MS);
    redis.once('ready', settle).once('error', settle);
  });
}

/** The 429 of both limits. */
export function tooManyRequests(retryAfterSeconds: number, message: string): HttpException {
  return new HttpException(
    { message, headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) } },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

/** Tells well-behaved clients where they stand, as the plugin's own hook would. */
export function setRateLimitHeaders(
  reply: FastifyReply,
  verdict: Extract<LimitVerdict, { isAllowed: false }>,
): void {
  reply.header('x-ratelimit-limit', verdict.max);
  reply.header('x-ratelimit-remaining', verdict.remaining);
  reply.header('x-ratelimit-reset', verdict.ttlInSeconds);
}
