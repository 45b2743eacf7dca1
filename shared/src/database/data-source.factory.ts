import type { DataSourceOptions } from 'typeorm';

/** TypeORM's options for the postgres driver (the only database Shop uses). */
export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export interface DataSourceFactoryInput {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** The service's schema: TypeORM's default schema and the connection's `search_path`. */
  schema: string;
  entities?: PostgresDataSourceOptions['entities'];
  migrations?: PostgresDataSourceOptions['migrations'];
  /** Role every pooled connection switches to at login, e.g. `users_owner` for migrations. */
  role?: string;
  /** Shown in `pg_stat_activity`; defaults to `shop-<schema>`. */
  applicationName?: string;
  /** Most connections the pool opens; defaults to 10. */
  poolSize?: number;
}

// Names end up in libpq startup options, where spaces and quotes would need
// escaping; plain lower-case identifiers (what bootstrap.sql makes) need none.
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * TypeORM options for one service's schema. The schema is never synchronized
 * and migrations never run on start: a separate step applies them as the owner.
 *
 * `search_path` and the optional `role` are sent as libpq startup options
 * (`-c name=value`), so they hold on every pooled connection from its first
 * query and survive `RESET ALL`/`DISCARD ALL`. Startup options given in the
 * URL's own `?options=` would override these, so don't put them there.
 *
 * @example
 * new DataSource(createDataSourceOptions({ url, schema: 'users', entities: [User] }))
 */
export function createDataSourceOptions(input: DataSourceFactoryInput): PostgresDataSourceOptions {
  const { url, schema, entities, migrations, role, applicationName, poolSize = 10 } = input;
  for (const name of [schema, role]) {
    if (name !== undefined && !IDENTIFIER.test(name)) {
      throw new Error(`Invalid Postgres identifier "${name}": use lower-case letters, digits and _`);
    }
  }
  const startupOptions = [`-c search_path=${schema}`, role ? `-c role=${role}` : ''].join(' ').trim();

  return {
    type: 'postgres',
    url,
    schema,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    applicationName: applicationName ?? `shop-${schema}`,
    // Service roles may not CREATE EXTENSION; gen_random_uuid() is built in since Postgres 13.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    connectTimeoutMS: 10_000,
    extra: { max: poolSize, options: startupOptions },
  };
}
