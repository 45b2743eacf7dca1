import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { SCOPES } from '@shop/shared';

/** What a refresh token is: 32 random bytes, base64url. */
export const REFRESH_TOKEN = { pattern: '^[A-Za-z0-9_-]{43}$', minLength: 43, maxLength: 43 } as const;
/** The scopes of a token, space-separated; a user may hold none (RFC 6749 §3.3). */
export const GRANTED_SCOPE = {
  pattern: `^((${SCOPES.join('|')})( (${SCOPES.join('|')}))*)?$`,
  maxLength: SCOPES.join(' ').length,
} as const;
// The users config refuses an ACCESS_TOKEN_TTL over 15 minutes.
const MAX_EXPIRES_IN = 15 * 60;

/** RFC 6749 §5.1: the answer to a granted token request. */
@ApiSchema({ description: 'RFC 6749 §5.1 successful token response.' })
export class TokenResponse {
  @ApiProperty({
    description:
      'A JWT (RFC 9068 `at+jwt`) to send as `Authorization: Bearer …`; at most what fits in a request ' +
      "header (16 KiB, Node's and the gateway's limit)",
    maxLength: 16_384,
    pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
    example: 'eyJhbGciOiJFZERTQSIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
  })
  access_token: string;

  @ApiProperty({ enum: ['bearer'], example: 'bearer' })
  token_type: 'bearer';

  @ApiProperty({
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: MAX_EXPIRES_IN,
    description: 'Seconds the access token is valid for',
    example: MAX_EXPIRES_IN,
  })
  expires_in: number;

  @ApiProperty({
    ...REFRESH_TOKEN,
    description: 'Works once, for `grant_type=refresh_token`; the answer carries its successor',
    example: 'kJ1x9VbqXlq1m3T0cG9ZbHh0cXJ6d3R5dWlvcGFzZGY',
  })
  refresh_token: string;

  @ApiProperty({
    ...GRANTED_SCOPE,
    description: 'The granted scopes, space-separated: those requested that the user holds, or all of theirs',
    example: 'items:read orders:read orders:write',
  })
  scope: string;
}
