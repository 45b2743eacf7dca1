import { ForbiddenError, UnauthorizedError } from '../errors/domain.errors';
import type { InvalidTokenError } from './auth.errors';

// RFC 6750 §2.1: the scheme is case-insensitive, the token a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The access token of an `Authorization: Bearer <token>` header (RFC 6750
 * §2.1); `undefined` when the header is absent, repeated, of another scheme
 * or not a b64token.
 */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
  return typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
}

/**
 * The 401 for a request that sent no usable bearer token: a bare `Bearer`
 * challenge, since RFC 6750 §3.1 wants no error code when no token came.
 *
 * Each refusal here is a coded domain error carrying its `WWW-Authenticate`
 * header; the services' guard uses the `AUTH.*` codes, the gateway its own.
 */
export function missingTokenChallenge(code = 'AUTH.TOKEN_MISSING'): UnauthorizedError {
  return new UnauthorizedError(code, 'A bearer access token is required.', { 'WWW-Authenticate': 'Bearer' });
}

/** The 401 for a token the verifier refused, naming why (never any part of the token). */
export function invalidTokenChallenge(
  error: InvalidTokenError,
  code = 'AUTH.TOKEN_INVALID',
): UnauthorizedError {
  return new UnauthorizedError(code, error.message, {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description="${error.reason}"`,
  });
}

/** The 403 for a valid token that lacks scopes the route needs, listing all of them. */
export function insufficientScopeChallenge(
  required: readonly string[],
  code = 'AUTH.SCOPE_MISSING',
): ForbiddenError {
  const scope = required.join(' ');
  const message =
    required.length === 1 ? `This needs the scope ${scope}.` : `This needs the scopes: ${scope}.`;
  return new ForbiddenError(code, message, {
    'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"`,
  });
}
