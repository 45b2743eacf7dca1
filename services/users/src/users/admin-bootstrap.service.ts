import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SCOPES } from '@shop/shared';
import { DataSource } from 'typeorm';
import { PasswordHasherService } from '../auth/password-hasher.service';
import { USERS_CONFIG, type UsersConfig } from '../users.config';
import { isUniqueViolation, UsersRepository } from './users.repository';

/** How to set the admin's password deliberately; the log says it where it is needed. */
export const RESET_ADMIN_PASSWORD_COMMAND = 'node dist/reset-admin-password.js';

/**
 * Creates the bootstrap admin from ADMIN_USERNAME / ADMIN_PASSWORD with every
 * scope, once. An existing account of that name is left as it is: the
 * variables seed a fresh system, they do not reset a running one. Because
 * that surprises whoever changed ADMIN_PASSWORD and cannot log in, the log
 * says so, and how to reset it.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasherService,
    @Inject(USERS_CONFIG) private readonly config: UsersConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = this.config;
    if (!username || !password) return;
    const existing = await this.users.findByUsername(username);
    if (existing) return this.keep(username, await this.passwords.verify(existing.passwordHash, password));
    try {
      await this.users.insert(this.db.manager, {
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

  private keep(username: string, passwordMatches: boolean): void {
    if (passwordMatches) {
      this.logger.log(`The bootstrap admin "${username}" exists and was kept as it is`);
      return;
    }
    this.logger.warn(
      `The bootstrap admin "${username}" exists with a password other than ADMIN_PASSWORD and was kept as it is ` +
        `(ADMIN_USERNAME / ADMIN_PASSWORD create the admin once and never change it). ` +
        `To give it ADMIN_PASSWORD, run ${RESET_ADMIN_PASSWORD_COMMAND} with this service's environment.`,
    );
  }
}
