import { Body, Controller, Get, Header, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Public } from '@shop/shared';
import { JwkSetResponse } from './dto/jwk-set.response';
import { ApiOAuthErrors } from './dto/oauth-error.response';
import { MAX_PARAMETER_LENGTH, RevokeRequestDto, TokenRequestDto } from './dto/token-request.dto';
import { TokenResponse } from './dto/token.response';
import { OAuthError } from './oauth.errors';
import { OAuthErrorFilter } from './oauth-error.filter';
import { SigningKeysService } from './signing-keys.service';
import { TokenService } from './token.service';

type Form = Record<string, unknown>;
const FORM = 'application/x-www-form-urlencoded';
const cacheControl = (value: string) => ({ schema: { type: 'string', enum: [value] } });

/** Reads one form parameter; RFC 6749 §3.2 forbids repeating one. */
function param(form: Form, name: string, required: true): string;
function param(form: Form, name: string, required?: false): string | undefined;
function param(form: Form, name: string, required = false): string | undefined {
  const value = form?.[name];
  if (value === undefined || value === '') {
    if (required) throw OAuthError.missingParameter(name);
    return undefined;
  }
  if (typeof value !== 'string') throw OAuthError.repeatedParameter(name);
  if (value.length > MAX_PARAMETER_LENGTH) throw OAuthError.parameterTooLong(name, MAX_PARAMETER_LENGTH);
  return value;
}

/**
 * The OAuth2 endpoints (RFC 6749 token, RFC 7009 revocation) and the public keys.
 * The form is read by hand, not by a DTO, so that a refusal is an RFC 6749
 * error; the form classes only document it.
 */
@ApiTags('auth')
@Public()
@Controller()
@UseFilters(OAuthErrorFilter)
export class TokenController {
  constructor(
    private readonly tokens: TokenService,
    private readonly keys: SigningKeysService,
  ) {}

  @Post('auth/token')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiConsumes(FORM)
  @ApiOperation({
    summary: 'Ask for tokens',
    description:
      'The OAuth2 token endpoint: a username and password (RFC 6749 §4.3) or a refresh token (§6) for ' +
      'an access token and a new refresh token. A refresh token works once; presenting a used one ' +
      'revokes every token of its family. Granted scopes are the requested ones the user holds. Errors ' +
      'are RFC 6749 JSON, not problems; only a lost database is a problem (503).',
  })
  @ApiBody({
    type: TokenRequestDto,
    description: 'An RFC 6749 form',
    examples: {
      password: {
        summary: 'Log in',
        value: { grant_type: 'password', username: 'alice', password: 'Secret123', scope: 'orders:write' },
      },
      refresh: {
        summary: 'Renew the access token',
        value: { grant_type: 'refresh_token', refresh_token: 'kJ1x9VbqXlq1m3T0cG9ZbHh0cXJ6d3R5dWlvcGFzZGY' },
      },
    },
  })
  @ApiOkResponse({
    type: TokenResponse,
    description: 'The tokens',
    headers: { 'Cache-Control': { description: 'Never cached', ...cacheControl('no-store') } },
  })
  @ApiOAuthErrors({
    missingParameter: OAuthError.missingParameter('username'),
    repeatedParameter: OAuthError.repeatedParameter('grant_type'),
    invalidGrant: OAuthError.invalidGrant(),
    unsupportedGrantType: OAuthError.unsupportedGrantType(),
    invalidScope: OAuthError.invalidScope(),
  })
  @ApiProblems(413, 415)
  token(@Body() form: Form): Promise<TokenResponse> {
    const grantType = param(form, 'grant_type', true);
    const scope = param(form, 'scope');
    switch (grantType) {
      case 'password':
        return this.tokens.passwordGrant(param(form, 'username', true), param(form, 'password', true), scope);
      case 'refresh_token':
        return this.tokens.refreshGrant(param(form, 'refresh_token', true), scope);
      default:
        throw OAuthError.unsupportedGrantType();
    }
  }

  @Post('auth/revoke')
  @HttpCode(200)
  @ApiConsumes(FORM)
  @ApiOperation({
    summary: 'Revoke a refresh token',
    description:
      'RFC 7009 revocation: ends the refresh token and every token of its family, so the holder must log ' +
      'in again. An unknown, expired or already revoked token is answered 200 as well, as RFC 7009 §2.2 asks.',
  })
  @ApiBody({
    type: RevokeRequestDto,
    description: 'An RFC 7009 form',
    examples: {
      logout: {
        summary: 'Log out',
        value: { token: 'kJ1x9VbqXlq1m3T0cG9ZbHh0cXJ6d3R5dWlvcGFzZGY', token_type_hint: 'refresh_token' },
      },
    },
  })
  @ApiOkResponse({ description: 'Revoked, or there was nothing to revoke; no body' })
  @ApiOAuthErrors({ missingParameter: OAuthError.missingParameter('token') })
  @ApiProblems(413, 415)
  async revoke(@Body() form: Form): Promise<void> {
    await this.tokens.revoke(param(form, 'token', true));
  }

  @Get('.well-known/jwks.json')
  @Header('cache-control', 'public, max-age=60')
  @ApiOperation({
    summary: 'Public keys of the access tokens',
    description:
      'The JWK Set that verifies access tokens: the key signing new tokens and recently retired ones, so ' +
      'tokens signed before a rotation still verify. Caches may keep it a minute; the gateway and the ' +
      'services read it to check tokens.',
  })
  @ApiOkResponse({
    type: JwkSetResponse,
    description: 'The keys',
    headers: {
      'Cache-Control': { description: 'Cacheable for 60 s', ...cacheControl('public, max-age=60') },
    },
  })
  jwks() {
    return this.keys.jwks();
  }
}
