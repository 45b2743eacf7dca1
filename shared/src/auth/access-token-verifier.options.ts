import type { AccessTokenClaims } from './access-token-claims.model';
import type { KeySource } from './signing-key-source.factory';

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
