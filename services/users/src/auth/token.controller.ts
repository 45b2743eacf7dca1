import { Body, Controller, Get, Header, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Public } from '@shop/shared';
import { OAuthError } from './oauth.errors';
import { OAuthErrorFilter } from './oauth-error.filter';
import { SigningKeysService } from './signing-keys.service';
import { TokenResponse, TokenService } from './token.service';

type Form = Record<string, unknown>;

/** Reads one form parameter; RFC 6749 §3.2 forbids repeating one. */
function param(form: Form, name: string, required: true): string;
function param(form: Form, name: string, required?: false): string | undefined;
function param(form: Form, name: string, required = false): string | undefined {
  const value = form?.[name];
  if (value === undefined || value === '') {
    if (required) throw new OAuthError('invalid_request', `The ${name} parameter is required.`);
    return undefined;
  }
  if (typeof value !== 'string')
    throw new OAuthError('invalid_request', `The ${name} parameter must appear once.`);
  return value;
}

/** The OAuth2 endpoints (RFC 6749 token, RFC 7009 revocation) and the public keys. */
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
  @ApiConsumes('application/x-www-form-urlencoded')
  @Header('cache-control', 'no-store')
  token(@Body() form: Form): Promise<TokenResponse> {
    const grantType = param(form, 'grant_type', true);
    const scope = param(form, 'scope');
    switch (grantType) {
      case 'password':
        return this.tokens.passwordGrant(param(form, 'username', true), param(form, 'password', true), scope);
      case 'refresh_token':
        return this.tokens.refreshGrant(param(form, 'refresh_token', true), scope);
      default:
        throw new OAuthError('unsupported_grant_type', 'Use grant_type password or refresh_token.');
    }
  }

  @Post('auth/revoke')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  async revoke(@Body() form: Form): Promise<void> {
    await this.tokens.revoke(param(form, 'token', true));
  }

  @Get('.well-known/jwks.json')
  @Header('cache-control', 'public, max-age=60')
  jwks() {
    return this.keys.jwks();
  }
}
