import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { runMigrations, RunMigrationsOptions } from '../database/migrations.service';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const BOOTSTRAP_SCRIPT = join('scripts', 'db', 'bootstrap.sh');

export interface TestDatabaseService {
  /** Schema to migrate, e.g. `users`; migrations run as `<schema>_owner`. */
  schema: string;
  migrations: RunMigrationsOptions['migrations'];
}

export interface TestDatabaseOptions {
  services?: TestDatabaseService[];
  /** Superuser URL to any existing database; defaults to `DATABASE_ADMIN_URL`, then local `postgres`. */
  adminUrl?: string;
}

export interface TestDatabase {
  /** `shop_test_<timestamp>_<random>`. */
  name: string;
  /** Superuser URL of this database. */
  adminUrl: string;
  /** URL of this database as the runtime role `<schema>_svc`, with bootstrap's password. */
  runtimeUrl(schema: string): string;
  /** Terminates every connection to the database and drops it. */
  drop(): Promise<void>;
}

/**
 * Creates a throw-away database for one integration test file: bootstraps it
 * exactly as production is (same script, same roles) and migrates the given
 * schemas as their owners. Names are unique, so parallel Jest workers and
 * repeated runs never collide; call `drop()` in `afterAll`.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? process.env.DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
  const name = `shop_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const drop = () => dropDatabase(adminUrl, name);

  const silent = { log: () => undefined };

  await bootstrapDatabase(name, { adminUrl });
  try {
    for (const { schema, migrations } of options.services ?? []) {
      await runMigrations({
        adminUrl,
        database: name,
        schema,
        ownerRole: `${schema}_owner`,
        migrations,
        logger: silent,
      });
    }
  } catch (error) {
    await drop();
    throw error;
  }

  return {
    name,
    adminUrl: urlFor(adminUrl, name),
    runtimeUrl: (schema) => urlFor(adminUrl, name, `${schema}_svc`, runtimePassword(schema)),
    drop,
  };
}

/**
 * Runs scripts/db/bootstrap.sh for database `name` (creating it if needed).
 * Idempotent and safe to call concurrently, like the script itself.
 */
export async function bootstrapDatabase(name: string, options: { adminUrl?: string } = {}): Promise<void> {
  const adminUrl = options.adminUrl ?? process.env.DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
  await promisify(execFile)('bash', [join(repoRoot(), BOOTSTRAP_SCRIPT)], {
    env: { ...process.env, DATABASE_ADMIN_URL: adminUrl, SHOP_DB_NAME: name },
  });
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

// The same env variable and dev default that bootstrap.sh uses.
function runtimePassword(schema: string): string {
  return process.env[`${schema.toUpperCase()}_DB_PASSWORD`] || `${schema}_svc_dev_password`;
}

function urlFor(adminUrl: string, database: string, user?: string, password?: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (user !== undefined) url.username = encodeURIComponent(user);
  if (password !== undefined) url.password = encodeURIComponent(password);
  return url.toString();
}

// Works from src/ under Jest and from dist/ alike: look upwards for the script.
function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, BOOTSTRAP_SCRIPT))) return dir;
    if (dirname(dir) === dir) throw new Error(`${BOOTSTRAP_SCRIPT} not found above ${__dirname}`);
  }
}
