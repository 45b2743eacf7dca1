import type { JWTPayload } from 'jose';
import { InvalidTokenError } from './auth.errors';

/** What a verified access token says about its holder. */
export interface AccessTokenClaims {
  /** The user id. */
  readonly sub: string;
  /** The granted scopes (the `scope` claim, split on spaces). */
  readonly scopes: readonly string[];
  readonly jti: string;
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
  /** Issue time, in seconds since the epoch. */
  readonly iat: number;
}

/**
 * The claims of a payload whose signature, `exp` and `iat` jose has checked.
 * Frozen, because the verifier's cache hands the same object to every request
 * that presents the token.
 */
export function claimsOf(payload: JWTPayload): AccessTokenClaims {
  const { sub, scope, jti, exp, iat } = payload;
  // jose has checked presence, exp and iat; the string claims are ours to check.
  if (typeof sub !== 'string' || !sub || typeof scope !== 'string' || typeof jti !== 'string' || !jti) {
    throw new InvalidTokenError('invalid_claim');
  }
  const scopes = Object.freeze(scope.split(' ').filter(Boolean));
  return Object.freeze({ sub, scopes, jti, exp: exp as number, iat: iat as number });
}
