import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AccessTokenVerifierOptions } from './access-token-verifier.options';
import { AccessTokenVerifier } from './access-token.verifier';
import { JwtAuthGuard } from './jwt-auth.guard';

/** `AuthModule.forRoot()` options: those of `AccessTokenVerifier`. */
export type AuthModuleOptions = AccessTokenVerifierOptions;

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<AuthModuleOptions>({
  moduleName: 'Auth',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Protects every HTTP route of the app that imports it: provides one
 * `AccessTokenVerifier` and registers `JwtAuthGuard` as the global guard.
 *
 * @example
 * AuthModule.forRoot({ jwksUrl: `${USERS_URL}/.well-known/jwks.json`, issuer, audience })
 * // when options depend on other providers (config, a deny-list):
 * AuthModule.forRootAsync({
 *   inject: [DenyList],
 *   useFactory: (denyList: DenyList) => ({ ...options, isRevoked: (claims) => denyList.has(claims.sub) }),
 * })
 * // the users service, which holds the keys:
 * AuthModule.forRoot({ keySource: (header) => keys.publicKeyFor(header.kid), issuer, audience })
 */
@Module({
  providers: [
    {
      provide: AccessTokenVerifier,
      inject: [MODULE_OPTIONS_TOKEN],
      useFactory: (options: AuthModuleOptions) => new AccessTokenVerifier(options),
    },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [AccessTokenVerifier],
})
export class AuthModule extends ConfigurableModuleClass {}
