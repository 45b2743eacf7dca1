import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type CryptoKey,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import { SigningKeysUnavailableError } from './auth.errors';

/**
 * Finds the public key for a token's protected header (`alg`, `kid`); resolves
 * `undefined` when no key matches. Every service reads the users service's
 * JWKS over HTTP; the users service, which holds the keys, passes one that
 * reads them locally (jose's `createLocalJWKSet(jwks)` fits as is).
 */
export type KeySource = (header: JWSHeaderParameters) => Promise<CryptoKey | KeyObject | undefined>;

/** How the verifier fetches and caches a remote JWKS. */
export interface RemoteKeySourceOptions {
  jwksUrl: string | URL;
  cooldownMs: number;
  cacheMaxAgeMs: number;
  fetch?: typeof globalThis.fetch;
}

/**
 * jose's remote JWKS already has the semantics we need: fetched lazily, cached
 * for `cacheMaxAge`, refetched for an unknown `kid` only once `cooldownDuration`
 * has passed since the last successful fetch, and concurrent refetches share
 * one request. So a flood of made-up `kid`s costs the users service at most
 * one request per cooldown.
 */
export function remoteKeySource(options: RemoteKeySourceOptions): KeySource {
  return createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    [customFetch]: options.fetch,
  });
}

const NO_SUCH_KEY_CODES = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS']);

/**
 * Adapts a key source to jose, sorting failures by whose fault they are: a
 * `kid` that names no key is the token's problem (401); any other failure
 * (network, timeout, a malformed JWKS) is ours (503).
 */
export function toKeyResolver(source: KeySource): JWTVerifyGetKey {
  return async (header) => {
    let key: CryptoKey | KeyObject | undefined;
    try {
      key = await source(header);
    } catch (error) {
      if (NO_SUCH_KEY_CODES.has((error as { code?: string }).code ?? '')) throw error;
      throw new SigningKeysUnavailableError(error);
    }
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key;
  };
}
