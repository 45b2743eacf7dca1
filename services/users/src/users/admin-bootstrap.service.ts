import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SCOPES } from '@shop/shared';
import { PasswordHasher } from '../auth/password-hasher';
import type { UsersConfig } from '../users.config';
import { USERS_CONFIG } from '../users.config.token';
import { isUniqueViolation, UsersRepository } from './users.repository';

/**
 * Creates the bootstrap admin from ADMIN_USERNAME / ADMIN_PASSWORD with every
 * scope, once. An existing account of that name is left as it is: the
 * variables seed a fresh system, they do not reset a running one.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    @Inject(USERS_CONFIG) private readonly config: UsersConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = this.config;
    if (!username || !password || (await this.users.findByUsername(username))) return;
    try {
      await this.users.insert({
        username,
        email: `${username.toLowerCase()}@admin.shop.local`,
        passwordHash: await this.passwords.hash(password),
        age: null,
        scopes: [...SCOPES],
      });
      this.logger.log(`Created the bootstrap admin "${username}" with every scope`);
    } catch (error) {
      // Another replica created it at the same moment.
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
