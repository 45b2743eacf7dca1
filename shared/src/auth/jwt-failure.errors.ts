import type { InvalidTokenReason } from './auth.errors';

const CLAIM_REASONS: Record<string, InvalidTokenReason> = {
  iss: 'wrong_issuer',
  aud: 'wrong_audience',
  typ: 'wrong_type',
};

/**
 * Why jose refused a token, as one of our short reasons: jose's codes are its
 * own and may change with it, the reasons are what clients are shown.
 */
export function reasonFor(error: unknown): InvalidTokenReason {
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
