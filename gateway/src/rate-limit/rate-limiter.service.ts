import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { leasedWindowStore } from './leased-window.store';

const WINDOW_MS = 60_000;

/** Where one request stands in its key's window. */
export interface LimitVerdict {
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
  exceeded: boolean;
}

export type VerdictCallback = (error: Error | null, verdict?: LimitVerdict) => void;

/**
 * A fixed one-minute window per key, counted in Redis and shared by every
 * replica, through the leased store (leased-window.store.ts): most requests
 * take a place this replica already reserved, and are answered synchronously,
 * without a Redis call or a promise. The gateway calls it from its own hooks,
 * so it decides when each check runs (after the token is verified; after the
 * login form is read) and what a Redis failure means (the general limit lets
 * the request through, the login limit refuses it).
 */
export class RateLimiterService {
  private readonly store: FastifyRateLimitStore;

  constructor(
    redis: Redis,
    /** Key prefix inside Redis (after the client's own prefix). */
    nameSpace: string,
    private readonly maxPerMinute: number,
  ) {
    this.store = new (leasedWindowStore(redis, nameSpace))({});
  }

  /** Counts one request for `key`; calls back at once when a leased place is at hand. */
  take(key: string, callback: VerdictCallback): void {
    const max = this.maxPerMinute;
    this.store.incr(
      key,
      (error, result) => {
        if (error || !result) return callback(error ?? new Error('No answer from the rate limit store'));
        callback(null, {
          limit: max,
          remaining: Math.max(0, max - result.current),
          resetSeconds: Math.ceil(result.ttl / 1000),
          exceeded: result.current > max,
        });
      },
      WINDOW_MS,
      max,
    );
  }
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

/** Tells well-behaved clients where they stand. */
export function setRateLimitHeaders(reply: FastifyReply, verdict: LimitVerdict): void {
  reply.header('x-ratelimit-limit', verdict.limit);
  reply.header('x-ratelimit-remaining', verdict.remaining);
  reply.header('x-ratelimit-reset', verdict.resetSeconds);
}
