import { Module } from '@nestjs/common';
import { TokenModule } from '../auth/token.module';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { NotificationsRepository } from './notifications.repository';
import { UsersController } from './users.controller';
import { UsersDataModule } from './users-data.module';
import { UsersService } from './users.service';

@Module({
  imports: [UsersDataModule, TokenModule],
  controllers: [UsersController],
  providers: [UsersService, NotificationsRepository, AdminBootstrapService],
})
export class UsersModule {}
