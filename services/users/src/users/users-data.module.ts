import { Module } from '@nestjs/common';
import { UsersRepository } from './users.repository';

// Both the users API and sign-in read users; one provider means one instance
// and one place to change it, without a cycle between UsersModule and TokenModule.
@Module({
  providers: [UsersRepository],
  exports: [UsersRepository],
})
export class UsersDataModule {}
