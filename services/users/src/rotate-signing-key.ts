import { createDataSourceOptions } from '@shop/shared';
import { DataSource } from 'typeorm';
import { SigningKey } from './auth/signing-key.entity';
import { SigningKeysRepository } from './auth/signing-keys.repository';
import { SigningKeysService } from './auth/signing-keys.service';
import { loadUsersConfig } from './users.config';

/**
 * `node dist/rotate-signing-key.js`: retires the active token signing key and
 * starts signing with a new one. Replicas pick the new key up within a minute;
 * tokens signed by the old key stay valid until they expire.
 */
async function rotate(): Promise<void> {
  const config = loadUsersConfig();
  const db = await new DataSource(
    createDataSourceOptions({
      url: config.DATABASE_URL,
      schema: 'users',
      entities: [SigningKey],
      poolSize: 1,
    }),
  ).initialize();
  try {
    const kid = await new SigningKeysService(db, new SigningKeysRepository(db), config).rotate();
    process.stdout.write(`New signing key ${kid}; replicas sign with it within a minute.\n`);
  } finally {
    await db.destroy();
  }
}

void rotate();
