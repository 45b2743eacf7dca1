import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SigningKeysService } from './signing-keys.service';
import { TokenController } from './token.controller';
import { TokenService } from './token.service';
import { UsersRepository } from '../users/users.repository';

@Module({
  controllers: [TokenController],
  providers: [TokenService, SigningKeysService, RefreshTokensRepository, PasswordHasher, UsersRepository],
  exports: [SigningKeysService, RefreshTokensRepository, PasswordHasher],
})
export class TokensModule {}
