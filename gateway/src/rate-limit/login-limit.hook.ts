import { normalizeIP } from '@fastify/rate-limit';
import { sendProblem } from '@shop/shared';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { loginFormRequired, loginLimitUnavailable, loginRateLimited } from '../gateway.errors';
import type { GatewayMetrics } from '../observability/gateway.metrics';
import { setRateLimitHeaders, type LimitVerdict, type RateLimiterService } from './rate-limiter.service';

const LOGIN = { limit: 'login' } as const;
// A token request is a few hundred bytes; nothing bigger is worth buffering.
export const LOGIN_FORM_LIMIT_BYTES = 8 * 1024;
// Usernames are at most 50 characters; the key need not grow with junk.
const MAX_USERNAME_LENGTH = 64;

/**
 * Makes the token endpoint's body readable by the login limit: the form is
 * buffered as bytes (and forwarded as those same bytes). OAuth2 token
 * requests are form-encoded (RFC 6749 §4.3.2), so any other media type is
 * refused with 415 rather than passed on unread, past the limit.
 */
export function readLoginForm(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit: LOGIN_FORM_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );
  scope.addContentTypeParser('*', (_request, _payload, done) => done(loginFormRequired()));
}

/**
 * `LOGIN_RATE_LIMIT_PER_MINUTE` password attempts per IP and username. Fails
 * closed: without Redis there is no count, and without a count password
 * guessing would be unlimited, so logins wait until Redis is back.
 */
export function loginLimit(limiter: RateLimiterService, metrics: GatewayMetrics): preHandlerAsyncHookHandler {
  return async function limitLogins(request, reply) {
    const username = usernameIn(request.body);
    // No username, no password guess (a refresh grant, a malformed request): the service answers it.
    if (!username) return;
    let verdict: LimitVerdict;
    try {
      verdict = await take(limiter, loginLimitKey(request, username));
    } catch {
      metrics.rateLimiterErrors.inc(LOGIN);
      return sendProblem(request, reply, loginLimitUnavailable());
    }
    // A password attempt's tighter limit is the one its caller needs to know about.
    setRateLimitHeaders(reply, verdict);
    if (verdict.exceeded) {
      metrics.rateLimited.inc(LOGIN);
      return sendProblem(request, reply, loginRateLimited(verdict.resetSeconds));
    }
  };
}

/** Per client IP and username: one user's guesses from one place. */
function loginLimitKey(request: FastifyRequest, username: string): string {
  return `${normalizeIP(request.ip)}:${username}`;
}

function take(limiter: RateLimiterService, key: string): Promise<LimitVerdict> {
  return new Promise((resolve, reject) =>
    limiter.take(key, (error, verdict) => (error || !verdict ? reject(error) : resolve(verdict))),
  );
}

function usernameIn(body: unknown): string | undefined {
  if (!Buffer.isBuffer(body)) return undefined;
  const username = new URLSearchParams(body.toString('utf8')).get('username');
  return username?.trim().toLowerCase().slice(0, MAX_USERNAME_LENGTH) || undefined;
}
