import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, DatabaseModule, EventBusModule, configModule } from '@shop/shared';
import { createLocalJWKSet } from 'jose';
import { AnnouncementsModule } from './announcements/announcements.module';
import { RefreshToken } from './auth/refresh-token.entity';
import { SigningKey } from './auth/signing-key.entity';
import { SigningKeysService } from './auth/signing-keys.service';
import { TokenModule } from './auth/token.module';
import { User } from './users/user.entity';
import { UsersModule } from './users/users.module';
import { USERS_CONFIG, type UsersConfig } from './users.config';

@Module({})
export class AppModule {
  static forRoot(config: UsersConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(USERS_CONFIG, config),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: 'users',
          entities: [User, RefreshToken, SigningKey],
        }),
        // The users service holds the signing keys, so it verifies tokens against them directly, not over HTTP.
        AuthModule.forRootAsync({
          imports: [TokenModule],
          inject: [SigningKeysService],
          useFactory: (keys: SigningKeysService) => ({
            keySource: async (header) => createLocalJWKSet(await keys.jwks())(header),
            issuer: config.JWT_ISSUER,
            audience: config.JWT_AUDIENCE,
          }),
        }),
        EventBusModule.forRoot({ url: config.RABBITMQ_URL, service: 'users' }),
        TokenModule,
        UsersModule,
        AnnouncementsModule,
      ],
    };
  }
}
