import { Module } from '@nestjs/common';
import { TokensModule } from '../auth/tokens.module';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { NotificationsRepository } from './notifications.repository';
import { UsersController } from './users.controller';
import { UsersDataModule } from './users-data.module';
import { UsersService } from './users.service';

@Module({
  imports: [UsersDataModule, TokensModule],
  controllers: [UsersController],
  providers: [UsersService, NotificationsRepository, AdminBootstrapService],
})
export class UsersModule {}
