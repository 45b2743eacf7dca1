/** RFC 6749 §5.2 error codes the token endpoint answers with. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';

/**
 * An error of the OAuth2 endpoints. These answer with RFC 6749 bodies, not
 * problem+json, because OAuth2 clients parse `error`.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
  }

  /** The one answer to bad credentials, a disabled user and a bad refresh token alike. */
  static invalidGrant(): OAuthError {
    return new OAuthError('invalid_grant', 'The credentials or the refresh token are invalid.');
  }
}
