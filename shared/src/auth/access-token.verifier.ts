import { jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { InvalidTokenError, SigningKeysUnavailableError, type InvalidTokenReason } from './auth.errors';
import { remoteKeySource, toKeyResolver, type KeySource } from './signing-key.source';
import { VerifiedTokenCache } from './verified-token.cache';

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

/** Refuses tokens that verify but must no longer be honoured (a disabled user). */
export type RevocationCheck = (claims: AccessTokenClaims) => boolean | Promise<boolean>;

interface CommonOptions {
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud` (the token's `aud` may be an array containing it). */
  audience: string;
  /** Accepted `alg` values; asymmetric only. Default `['EdDSA', 'ES256']`. */
  algorithms?: string[];
  /** Leeway for `exp`, `nbf` and `iat` against clock skew. Default 5 s. */
  clockToleranceSec?: number;
  /** Oldest `iat` accepted, whatever `exp` says (SPEC: tokens live ≤ 15 min). Default 900 s. */
  maxTokenAgeSec?: number;
  /** Verified tokens remembered until their expiry; 0 disables. Default 10 000. */
  cacheSize?: number;
  /** Checked on every call, cached or not. */
  isRevoked?: RevocationCheck;
}

interface RemoteKeysOptions {
  /** The users service's `/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  keySource?: never;
  /** Minimum time between JWKS fetches caused by an unknown `kid`. Default 30 s. */
  cooldownMs?: number;
  /** The fetched key set is refetched once it is older than this. Default 10 min. */
  cacheMaxAgeMs?: number;
  /** Replaces the global `fetch` for the JWKS request. */
  fetch?: typeof globalThis.fetch;
}

interface LocalKeysOptions {
  /** Supplies keys without HTTP; for the users service, which holds them. */
  keySource: KeySource;
  jwksUrl?: never;
}

/** Where keys come from and what a token must say to be accepted. */
export type AccessTokenVerifierOptions = CommonOptions & (RemoteKeysOptions | LocalKeysOptions);

/** SPEC: access tokens are signed with EdDSA or ES256. */
export const DEFAULT_ACCESS_TOKEN_ALGORITHMS = ['EdDSA', 'ES256'];

// Ours are a few hundred bytes; refusing huge ones early keeps parsing cheap
// and bounds the memory the cache can hold.
const MAX_TOKEN_LENGTH = 4096;

/**
 * Verifies access tokens minted by the users service (RFC 9068 `at+jwt`).
 * One instance per process: it holds the key set and a cache of verified
 * tokens, so a token used for many requests costs one signature check.
 */
export class AccessTokenVerifier {
  private readonly resolveKey: JWTVerifyGetKey;
  private readonly jwtOptions: JWTVerifyOptions;
  private readonly maxTokenAgeSec: number;
  private readonly cache: VerifiedTokenCache<AccessTokenClaims>;
  private readonly isRevoked?: RevocationCheck;

  constructor(options: AccessTokenVerifierOptions) {
    const algorithms = options.algorithms ?? DEFAULT_ACCESS_TOKEN_ALGORITHMS;
    // A symmetric algorithm would let anyone holding the verification key
    // mint tokens, and `none` needs no key at all.
    if (algorithms.some((alg) => alg === 'none' || alg.startsWith('HS'))) {
      throw new TypeError('AccessTokenVerifier accepts asymmetric signature algorithms only');
    }
    this.maxTokenAgeSec = options.maxTokenAgeSec ?? 900;
    this.jwtOptions = {
      algorithms,
      issuer: options.issuer,
      audience: options.audience,
      typ: 'at+jwt',
      clockTolerance: options.clockToleranceSec ?? 5,
      maxTokenAge: this.maxTokenAgeSec,
      requiredClaims: ['sub', 'scope', 'jti', 'exp', 'iat'],
    };
    const source =
      options.keySource ??
      remoteKeySource({
        jwksUrl: options.jwksUrl,
        cooldownMs: options.cooldownMs ?? 30_000,
        cacheMaxAgeMs: options.cacheMaxAgeMs ?? 600_000,
        fetch: options.fetch,
      });
    this.resolveKey = toKeyResolver(source);
    this.cache = new VerifiedTokenCache(options.cacheSize ?? 10_000);
    this.isRevoked = options.isRevoked;
  }

  /**
   * The claims of a valid access token.
   *
   * @throws {InvalidTokenError} the token is malformed, forged, expired,
   *   not meant for us, or revoked.
   * @throws {SigningKeysUnavailableError} the keys could not be loaded.
   */
  async verify(token: string): Promise<AccessTokenClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenError('malformed');
    }
    const claims = this.cache.get(token, Date.now()) ?? (await this.verifySignature(token));
    if (this.isRevoked && (await this.isRevoked(claims))) throw new InvalidTokenError('revoked');
    return claims;
  }

  private async verifySignature(token: string): Promise<AccessTokenClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.resolveKey, this.jwtOptions));
    } catch (error) {
      if (error instanceof SigningKeysUnavailableError) throw error;
      throw new InvalidTokenError(reasonFor(error));
    }
    const claims = toClaims(payload);
    // jose accepts a token until exp (or iat + max age) plus the clock
    // tolerance; the cache stops at the earlier bound, without tolerance.
    const expiresAtSec = Math.min(claims.exp, claims.iat + this.maxTokenAgeSec);
    this.cache.set(token, claims, expiresAtSec * 1000);
    return claims;
  }
}

function toClaims(payload: JWTPayload): AccessTokenClaims {
  const { sub, scope, jti, exp, iat } = payload;
  // jose has checked presence, exp and iat; the string claims are ours to check.
  if (typeof sub !== 'string' || !sub || typeof scope !== 'string' || typeof jti !== 'string' || !jti) {
    throw new InvalidTokenError('invalid_claim');
  }
  const scopes = Object.freeze(scope.split(' ').filter(Boolean));
  return Object.freeze({ sub, scopes, jti, exp: exp as number, iat: iat as number });
}

const CLAIM_REASONS: Record<string, InvalidTokenReason> = {
  iss: 'wrong_issuer',
  aud: 'wrong_audience',
  typ: 'wrong_type',
};

/** Maps jose's error codes to our short reasons. */
function reasonFor(error: unknown): InvalidTokenReason {
  const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm_not_allowed';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'unknown_key';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad_signature';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return 'missing_claim';
      return CLAIM_REASONS[claim ?? ''] ?? 'invalid_claim';
    default:
      return 'malformed';
  }
}
