import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AccessTokenVerifierOptions } from './access-token-verifier.options';
import { AccessTokenVerifierService } from './access-token-verifier.service';
import { JwtAuthGuard } from './jwt-auth.guard';

/** `AuthModule.forRoot()` options: those of `AccessTokenVerifierService`. */
export type AuthModuleOptions = AccessTokenVerifierOptions;

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<AuthModuleOptions>({
  moduleName: 'Auth',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Protects every HTTP route of the app that imports it: provides one
 * `AccessTokenVerifierService` and registers `JwtAuthGuard` as the global guard.
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
      provide: AccessTokenVerifierService,
      inject: [MODULE_OPTIONS_TOKEN],
      useFactory: (options: AuthModuleOptions) => new AccessTokenVerifierService(options),
    },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [AccessTokenVerifierService],
})
export class AuthModule extends ConfigurableModuleClass {}
