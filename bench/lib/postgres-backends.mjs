// Which Postgres processes do the bench's work. Each client connection has a backend process
// of its own, so the backends connected to the bench's database (pg_stat_activity.datname)
// are exactly the system's queries, plus autovacuum and parallel workers on that database.
// The WAL writer, checkpointer and background writer serve every database on the server (on
// this shared machine, other people's tests too), so they are reported apart, not counted.
// With synchronous_commit on, each committing backend flushes the WAL itself; the WAL writer
// only flushes what was left behind, so leaving it out undercounts little.
import pg from 'pg';

const SHARED_BACKGROUND = ['walwriter', 'checkpointer', 'background writer'];

/**
 * Watches pg_stat_activity from the server's maintenance database `postgres`, so that the
 * watching connection itself is not one of the bench database's backends.
 */
export async function postgresBackends(maintenanceUrl, database) {
  const client = new pg.Client({
    connectionString: maintenanceUrl,
    application_name: 'bench-meter',
  });
  await client.connect();
  let reading;
  const read = () =>
    (reading ??= client
      .query('SELECT pid, datname, backend_type FROM pg_stat_activity WHERE pid <> pg_backend_pid()')
      .then(({ rows }) => rows)
      .finally(() => (reading = undefined)));
  return {
    /** Backends connected to `database` now (client backends, autovacuum and parallel workers). */
    ofDatabase: async () => (await read()).filter((row) => row.datname === database).map((row) => row.pid),
    /** The server's shared background processes (not attributable to one database). */
    sharedBackground: async () =>
      (await read()).filter((row) => SHARED_BACKGROUND.includes(row.backend_type)).map((row) => row.pid),
    close: () => client.end(),
  };
}
