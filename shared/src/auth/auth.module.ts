import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SERVICE_CONFIG } from '../config/config.module';
import type { AccessTokenVerifierOptions } from './access-token-verifier.options';
import { AccessTokenVerifierService } from './access-token-verifier.service';
import { DeniedUsersStore, deniedUsersRedis, type DeniedUsersSettings } from './denied-users.store';
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
 * In a service (its config given by `configModule`), the verifier also refuses
 * the tokens of users in the shared `DeniedUsersStore`, which it exports so the
 * users service can record a denial the moment it commits one.
 *
 * @example
 * AuthModule.forRoot({ jwksUrl: `${USERS_URL}/.well-known/jwks.json`, issuer, audience })
 * // the users service, which holds the keys (options from other providers: forRootAsync):
 * AuthModule.forRootAsync({
 *   inject: [SigningKeysService],
 *   useFactory: (keys: SigningKeysService) => ({ keySource: (header) => keys.publicKeyFor(header.kid), issuer, audience }),
 * })
 * // an `isRevoked` of the options is checked as well as the deny-list.
 */
@Module({
  providers: [
    {
      provide: DeniedUsersStore,
      inject: [{ token: SERVICE_CONFIG, optional: true }],
      useFactory: (config?: DeniedUsersSettings) =>
        config ? new DeniedUsersStore(deniedUsersRedis(config)) : null,
    },
    {
      provide: AccessTokenVerifierService,
      inject: [MODULE_OPTIONS_TOKEN, DeniedUsersStore],
      useFactory: (options: AuthModuleOptions, denied: DeniedUsersStore | null) =>
        new AccessTokenVerifierService({ ...options, isRevoked: eitherRevoked(options, denied) }),
    },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [AccessTokenVerifierService, DeniedUsersStore],
})
export class AuthModule extends ConfigurableModuleClass {}

/** The caller's own check, if any, and the deny-list's. */
function eitherRevoked(
  { isRevoked }: AuthModuleOptions,
  denied: DeniedUsersStore | null,
): AuthModuleOptions['isRevoked'] {
  if (!denied) return isRevoked;
  if (!isRevoked) return denied.isRevoked;
  return (claims) => denied.isRevoked(claims) || isRevoked(claims);
}
