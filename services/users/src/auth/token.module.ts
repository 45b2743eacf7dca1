import { Module } from '@nestjs/common';
import { UsersDataModule } from '../users/users-data.module';
import { PasswordHasherService } from './password-hasher.service';
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
    PasswordHasherService,
  ],
  exports: [SigningKeysService, RefreshTokensRepository, PasswordHasherService],
})
export class TokenModule {}
