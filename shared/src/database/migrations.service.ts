import { DataSource } from 'typeorm';
import { createDataSourceOptions, PostgresDataSourceOptions } from './data-source.factory';

/** Where migration progress goes; `console` and Nest's `Logger` both fit. */
export interface MigrationLogger {
  log(message: string): void;
}

export interface RunMigrationsOptions {
  /** A superuser (or a member of `ownerRole`) connection URL. */
  adminUrl: string;
  /** Replaces the database named in `adminUrl`, which may point at `postgres`. */
  database?: string;
  /** The service's schema; the `migrations` table lives in it too. */
  schema: string;
  /** The NOLOGIN role that owns `schema`, e.g. `users_owner`; every migration runs as it. */
  ownerRole: string;
  migrations: NonNullable<PostgresDataSourceOptions['migrations']>;
  logger?: MigrationLogger;
}

/**
 * Applies the pending migrations of one service's schema as its owner role,
 * so the tables belong to the owner and the runtime role only gets the DML
 * that bootstrap's default privileges grant. Replicas starting together wait
 * on an advisory lock instead of racing. Logs one line per applied migration.
 *
 * @returns the names of the migrations applied, oldest first.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<string[]> {
  const { adminUrl, database, schema, ownerRole, migrations, logger = console } = options;
  const url = new URL(adminUrl);
  if (database) url.pathname = `/${encodeURIComponent(database)}`;

  const dataSource = new DataSource({
    ...createDataSourceOptions({
      url: url.toString(),
      schema,
      migrations,
      role: ownerRole,
      applicationName: `shop-${schema}-migrations`,
      poolSize: 2, // one connection holds the lock, one migrates
    }),
    migrationsTableName: 'migrations',
    // 'each': a failing migration rolls back alone, earlier ones stay applied and
    // recorded, and one may opt out of a transaction (CREATE INDEX CONCURRENTLY).
    migrationsTransactionMode: 'each',
  });

  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  const lockKey = `shop:migrations:${schema}`;
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    const applied = await dataSource.runMigrations();
    for (const migration of applied) logger.log(`${schema}: applied migration ${migration.name}`);
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

export interface MigrateServiceOptions {
  /** The service's schema; its owner role is `<schema>_owner`, as bootstrap.sql names it. */
  schema: string;
  migrations: RunMigrationsOptions['migrations'];
  env?: NodeJS.ProcessEnv;
  logger?: MigrationLogger;
}

/**
 * The whole of a service's `src/migrate.ts` (run as `node dist/migrate.js`
 * before the service starts): migrates `schema` in database `SHOP_DB_NAME`
 * (default `shop`) over `DATABASE_ADMIN_URL`, the same variables bootstrap.sh
 * reads. Rejects on a missing variable or a failed migration, so an unhandled
 * rejection exits the process with a non-zero code.
 *
 * @example
 * // services/users/src/migrate.ts
 * void migrateServiceFromEnv({ schema: 'users', migrations });
 */
export async function migrateServiceFromEnv(options: MigrateServiceOptions): Promise<string[]> {
  const { schema, migrations, env = process.env, logger } = options;
  const adminUrl = env.DATABASE_ADMIN_URL;
  if (!adminUrl) {
    throw new Error('DATABASE_ADMIN_URL is not set: the migration step needs an admin connection URL');
  }
  return runMigrations({
    adminUrl,
    database: env.SHOP_DB_NAME || 'shop',
    schema,
    ownerRole: `${schema}_owner`,
    migrations,
    logger,
  });
}
