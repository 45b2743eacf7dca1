import type { AccessTokenClaims, AccessTokenVerifierService } from '@shop/shared';

// SPEC: an access token lives at most 15 minutes, whatever its `exp` says (the verifier's default too).
const MAX_TOKEN_AGE_SEC = 900;
// As many tokens as the verifier remembers.
const MAX_ENTRIES = 10_000;

/**
 * The edge's memory of the tokens it verified, in front of the verifier: a
 * token seen before is answered synchronously, so the common request (a
 * client reusing its token) costs the edge check neither a promise nor a
 * signature check. Each hit is still checked against the token's expiry and
 * against the deny-list, exactly as the verifier checks every call; anything
 * else (a new, expired or revoked token) goes to the verifier, which decides
 * and says why.
 */
export class EdgeTokenStore {
  private readonly entries = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();

  constructor(
    private readonly verifier: AccessTokenVerifierService,
    /** The deny-list's check: synchronous, so that a hit stays so. */
    private readonly isRevoked: (claims: AccessTokenClaims) => boolean,
  ) {}

  /** The claims of a token verified before and still good now; undefined when the verifier must decide. */
  known(token: string): AccessTokenClaims | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (Date.now() < entry.expiresAtMs && !this.isRevoked(entry.claims)) return entry.claims;
    this.entries.delete(token);
    return undefined;
  }

  /** Verifies a token (signature, claims, deny-list) and remembers it when valid. */
  async verify(token: string): Promise<AccessTokenClaims> {
    const claims = await this.verifier.verify(token);
    // Oldest first (a Map keeps insertion order): the bound costs a hit nothing.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const expiresAtSec = Math.min(claims.exp, claims.iat + MAX_TOKEN_AGE_SEC);
    this.entries.set(token, { claims, expiresAtMs: expiresAtSec * 1000 });
    return claims;
  }
}
