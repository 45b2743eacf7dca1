import { jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { claimsOf, type AccessTokenClaims } from './access-token-claims.model';
import {
  DEFAULT_ACCESS_TOKEN_ALGORITHMS,
  type AccessTokenVerifierOptions,
  type RevocationCheck,
} from './access-token-verifier.options';
import { InvalidTokenError, SigningKeysUnavailableError } from './auth.errors';
import { reasonFor } from './jwt-failure.errors';
import { remoteKeySource, toKeyResolver } from './signing-key-source.factory';
import { VerifiedTokenStore } from './verified-token.store';

// Ours are a few hundred bytes; refusing huge ones early keeps parsing cheap
// and bounds the memory the cache can hold.
const MAX_TOKEN_LENGTH = 4096;

/**
 * Verifies access tokens minted by the users service (RFC 9068 `at+jwt`).
 * One instance per process: it holds the key set and a cache of verified
 * tokens, so a token used for many requests costs one signature check.
 */
export class AccessTokenVerifierService {
  private readonly resolveKey: JWTVerifyGetKey;
  private readonly jwtOptions: JWTVerifyOptions;
  private readonly maxTokenAgeSec: number;
  private readonly cache: VerifiedTokenStore<AccessTokenClaims>;
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
    this.cache = new VerifiedTokenStore(options.cacheSize ?? 10_000);
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
    const claims = claimsOf(payload);
    // jose accepts a token until exp (or iat + max age) plus the clock
    // tolerance; the cache stops at the earlier bound, without tolerance.
    const expiresAtSec = Math.min(claims.exp, claims.iat + this.maxTokenAgeSec);
    this.cache.set(token, claims, expiresAtSec * 1000);
    return claims;
  }
}
