import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { USERNAME } from '../../users/dto/create-user.dto';
import { REFRESH_TOKEN } from './token.response';

/** The longest form parameter the token endpoint reads; a longer one is `invalid_request`. */
export const MAX_PARAMETER_LENGTH = 1024;

/**
 * The form of `POST /auth/token`, for the document only: the controller reads
 * the form itself so that every refusal is an RFC 6749 error, not a problem.
 */
@ApiSchema({
  description:
    'RFC 6749 §4.3.2 (password grant) or §6 (refresh) token request. Which fields are required depends ' +
    'on `grant_type`; each must appear once.',
})
export class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'refresh_token'], example: 'password' })
  grant_type: 'password' | 'refresh_token';

  @ApiPropertyOptional({
    ...USERNAME,
    description: 'Required for `grant_type=password`. Every username has this shape.',
    example: 'alice',
  })
  username?: string;

  @ApiPropertyOptional({
    format: 'password',
    maxLength: MAX_PARAMETER_LENGTH,
    description: 'Required for `grant_type=password`',
    example: 'Secret123',
  })
  password?: string;

  @ApiPropertyOptional({
    ...REFRESH_TOKEN,
    description: 'Required for `grant_type=refresh_token`: the refresh token of the last answer',
    example: 'kJ1x9VbqXlq1m3T0cG9ZbHh0cXJ6d3R5dWlvcGFzZGY',
  })
  refresh_token?: string;

  @ApiPropertyOptional({
    maxLength: MAX_PARAMETER_LENGTH,
    description:
      'Space-separated scopes to ask for; those the user does not hold are left out. Without it, every ' +
      'scope the user holds (on a refresh, every scope of the refreshed token).',
    example: 'items:read orders:write',
  })
  scope?: string;
}

/** The form of `POST /auth/revoke` (RFC 7009 §2.1), for the document only. */
@ApiSchema({ description: 'RFC 7009 §2.1 revocation request.' })
export class RevokeRequestDto {
  @ApiProperty({
    ...REFRESH_TOKEN,
    description:
      'The refresh token to revoke, with every token of its family. Access tokens cannot be revoked ' +
      'here: they expire within minutes, and disabling the user refuses them at once.',
    example: 'kJ1x9VbqXlq1m3T0cG9ZbHh0cXJ6d3R5dWlvcGFzZGY',
  })
  token: string;

  @ApiPropertyOptional({
    enum: ['refresh_token', 'access_token'],
    description:
      'Accepted and ignored (RFC 7009 allows that): the token is always looked up as a refresh token',
    example: 'refresh_token',
  })
  token_type_hint?: string;
}
