import { createDataSourceOptions } from '@shop/shared';
import { DataSource } from 'typeorm';
import { PasswordHasherService } from './auth/password-hasher.service';
import { RefreshToken } from './auth/refresh-token.entity';
import { RefreshTokensRepository } from './auth/refresh-tokens.repository';
import { User } from './users/user.entity';
import { UsersRepository } from './users/users.repository';
import { loadUsersConfig } from './users.config';

/**
 * `node dist/reset-admin-password.js`: gives the bootstrap admin
 * (ADMIN_USERNAME) the password ADMIN_PASSWORD, with the service's own
 * environment. The service creates that admin once and then never changes it,
 * so this is the deliberate way back in when its password is not the one you
 * expect. Like a password change through the API, it revokes the account's
 * refresh tokens; access tokens already issued run out within 15 minutes.
 */
async function resetAdminPassword(): Promise<number> {
  const config = loadUsersConfig();
  const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = config;
  if (!username || !password) {
    process.stderr.write('Set ADMIN_USERNAME and ADMIN_PASSWORD: the admin to reset and its new password.\n');
    return 1;
  }
  const db = await new DataSource(
    createDataSourceOptions({
      url: config.DATABASE_URL,
      schema: 'users',
      entities: [User, RefreshToken],
      poolSize: 1,
    }),
  ).initialize();
  try {
    const users = new UsersRepository(db);
    const admin = await users.findByUsername(username);
    if (!admin) {
      process.stderr.write(
        `There is no user "${username}": the users service creates it, with ADMIN_PASSWORD, when it starts.\n`,
      );
      return 1;
    }
    admin.passwordHash = await new PasswordHasherService().hash(password);
    await db.transaction(async (tx) => {
      await users.save(tx, admin);
      await new RefreshTokensRepository(db).revokeAllOfUser(tx, admin.id);
    });
    process.stdout.write(
      `"${admin.username}" now logs in with ADMIN_PASSWORD; its refresh tokens are revoked.\n` +
        (admin.disabled ? 'It is disabled, though, so it still cannot log in.\n' : ''),
    );
    return 0;
  } finally {
    await db.destroy();
  }
}

void resetAdminPassword().then((code) => (process.exitCode = code));
