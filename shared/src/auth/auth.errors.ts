import { UnavailableError } from '../errors/domain.errors';

/**
 * Why an access token was refused. Short and stable, safe to show a client:
 * it never contains any part of the token.
 */
export type InvalidTokenReason =
  | 'malformed'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_type'
  | 'missing_claim'
  | 'invalid_claim'
  | 'revoked';

/**
 * An access token was refused. The guard answers it with 401; code outside
 * HTTP (the WebSocket handshake) catches it and closes with 1008.
 */
export class InvalidTokenError extends Error {
  readonly code = 'AUTH.INVALID_TOKEN';

  constructor(readonly reason: InvalidTokenReason) {
    super(`The access token is invalid (${reason}).`);
    this.name = 'InvalidTokenError';
  }
}

/**
 * The signing keys could not be loaded (users service unreachable, a bad JWKS
 * response). It is our outage, not the client's fault, so it maps to 503
 * rather than a 401 that would send clients to log in again.
 */
export class SigningKeysUnavailableError extends UnavailableError {
  constructor(cause: unknown) {
    super('AUTH.KEYS_UNAVAILABLE', 'The signing keys needed to check the access token are unavailable.');
    this.cause = cause;
  }
}
