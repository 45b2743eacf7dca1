import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { OAUTH_ERROR_CODES, type OAuthError } from '../oauth.errors';

// What OAuthErrorFilter sends with every error (RFC 6749 §5.1 asks for it).
const NO_CACHE_HEADERS = {
  'Cache-Control': { description: 'Never cached', schema: { type: 'string', enum: ['no-store'] } },
  Pragma: {
    description: 'Never cached, for HTTP/1.0 caches',
    schema: { type: 'string', enum: ['no-cache'] },
  },
};

/**
 * Documents the RFC 6749 §5.2 400 of an OAuth2 endpoint: `application/json`
 * `{error, error_description}`, not a problem, with an example of each answer
 * given, by name (errors the code builds, so their wording is the real one).
 */
export function ApiOAuthErrors(answers: Record<string, OAuthError>) {
  const codes = [...new Set(Object.values(answers).map((answer) => answer.error))];
  const meanings = codes.map((code) => `- \`${code}\`: ${OAUTH_ERROR_CODES[code]}`).join('\n');
  const examples = Object.fromEntries(
    Object.entries(answers).map(([name, { error, description }]) => [
      name,
      { summary: description, value: { error, error_description: description } },
    ]),
  );
  return applyDecorators(
    ApiResponse({
      status: 400,
      description: `An RFC 6749 error (there is no client authentication, so never a 401):\n${meanings}`,
      headers: NO_CACHE_HEADERS,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['error', 'error_description'],
            properties: {
              error: { type: 'string', enum: codes },
              // Each description is one of the fixed sentences of OAuthError.
              error_description: { type: 'string', maxLength: 200 },
            },
          },
          examples,
        },
      },
    }),
  );
}
