import { Module } from '@nestjs/common';
import { UsersDataModule } from '../users/users-data.module';
import { PasswordHasher } from './password-hasher';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SigningKeysRepository } from './signing-keys.repository';
import { SigningKeysService } from './signing-keys.service';
import { TokenController } from './token.controller';
import { TokenService } from './token.service';

@Module({
  imports: [UsersDataModule],
  controllers: [TokenController],
  providers: [
    TokenService,
    SigningKeysService,
    SigningKeysRepository,
    RefreshTokensRepository,
    PasswordHasher,
  ],
  exports: [SigningKeysService, RefreshTokensRepository, PasswordHasher],
})
export class TokensModule {}
