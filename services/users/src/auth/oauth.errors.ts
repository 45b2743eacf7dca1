/**
 * The RFC 6749 §5.2 error codes the OAuth2 endpoints answer with, and when.
 * There is no client authentication, so `invalid_client` is never one of them.
 */
export const OAUTH_ERROR_CODES = {
  invalid_request: 'A required parameter is missing or empty, or a parameter appears more than once.',
  invalid_grant:
    'The username and password, or the refresh token, are not valid: unknown, wrong, expired, already ' +
    'used or revoked, or their user is disabled. The answer is the same for each.',
  unsupported_grant_type: 'The grant_type is neither password nor refresh_token.',
  invalid_scope: 'A scope was asked for, but the user holds none of the requested scopes.',
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERROR_CODES;

/**
 * An error of the OAuth2 endpoints. These answer with RFC 6749 bodies, not
 * problem+json, because OAuth2 clients parse `error`. Each answer the code
 * gives is made here, so the OpenAPI examples quote the real wording.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
  }

  static missingParameter(name: string): OAuthError {
    return new OAuthError('invalid_request', `The ${name} parameter is required.`);
  }

  static parameterTooLong(name: string, max: number): OAuthError {
    return new OAuthError('invalid_request', `The ${name} parameter may be at most ${max} characters.`);
  }

  /** RFC 6749 §3.2 forbids repeating a parameter. */
  static repeatedParameter(name: string): OAuthError {
    return new OAuthError('invalid_request', `The ${name} parameter must appear once.`);
  }

  /** The one answer to bad credentials, a disabled user and a bad refresh token alike. */
  static invalidGrant(): OAuthError {
    return new OAuthError('invalid_grant', 'The credentials or the refresh token are invalid.');
  }

  static unsupportedGrantType(): OAuthError {
    return new OAuthError('unsupported_grant_type', 'Use grant_type password or refresh_token.');
  }

  static invalidScope(): OAuthError {
    return new OAuthError('invalid_scope', 'None of the requested scopes can be granted.');
  }
}
