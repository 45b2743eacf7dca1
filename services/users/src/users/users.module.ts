import { Module } from '@nestjs/common';
import { TokensModule } from '../auth/tokens.module';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { NotificationsRepository } from './notifications.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TokensModule],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, NotificationsRepository, AdminBootstrapService],
})
export class UsersModule {}
