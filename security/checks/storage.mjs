// Storage: each runtime role sees only its own schema and may run no DDL; the schemas are the
// same at the end of the run as after the migrations (nothing altered them at run time);
// every stored password hash is argon2id with the configured parameters; no log line of any
// process, at LOG_LEVEL=trace, holds a token, a password, a ticket or a hash.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from '../../bench/lib/procs.mjs';
import { secrets } from '../lib/actors.mjs';
import { query } from '../lib/keys.mjs';
import { fail, figures, progress } from '../lib/results.mjs';
import { infra, SERVICES } from '../lib/system.mjs';

/** The tables, columns, indexes and constraints of the services' schemas, as one string. */
export async function schemaSnapshot() {
  const rows = await query(
    infra,
    `SELECT n.nspname, c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = ANY($1) ORDER BY 1, 2, 4`,
    [SERVICES],
  );
  return rows
    .map((r) => `${r.nspname}.${r.relname}(${r.relkind}) ${r.attname ?? ''} ${r.type ?? ''}`)
    .join('\n');
}

async function refusedFor(schema, sql) {
  const client = new pg.Client({ connectionString: infra.runtimeUrl(schema) });
  await client.connect();
  try {
    await client.query(sql);
    return false;
  } catch (error) {
    return /permission denied|must be owner/.test(error.message);
  } finally {
    await client.end();
  }
}

/** The argon2id parameters the users service hashes with, read from the source that sets them. */
function configuredArgon2() {
  const dir = join(ROOT, 'services/users/src/auth');
  const file = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .find((name) => readFileSync(join(dir, name), 'utf8').includes('memoryCost'));
  if (!file) throw new Error(`no argon2 parameters (memoryCost) found under ${dir}`);
  const source = readFileSync(join(dir, file), 'utf8');
  const read = (name) => /(\d[\d_]*)/.exec(source.split(`${name}:`)[1] ?? '')?.[1].replaceAll('_', '');
  return `m=${read('memoryCost')},t=${read('timeCost')},p=${read('parallelism')}`;
}

export async function storage({ schemaAtStart, tmp }) {
  let probes = 0;
  for (const schema of SERVICES) {
    for (const other of SERVICES.filter((s) => s !== schema)) {
      probes++;
      if (!(await refusedFor(schema, `SELECT 1 FROM ${other}.outbox LIMIT 1`)))
        fail('storage', `${schema}_svc can read ${other}.outbox`);
    }
    for (const ddl of [
      `CREATE TABLE ${schema}.security_probe (id int)`,
      `ALTER TABLE ${schema}.outbox ADD COLUMN probe int`,
    ]) {
      probes++;
      if (!(await refusedFor(schema, ddl))) fail('storage', `${schema}_svc may run DDL: ${ddl}`);
    }
  }
  if ((await schemaSnapshot()) !== schemaAtStart)
    fail('storage', 'a schema changed while the system ran (DDL at run time)');

  const params = configuredArgon2();
  const hashes = await query(infra, 'SELECT password_hash FROM users.users');
  const wanted = new RegExp(
    `^\\$argon2id\\$v=19\\$${params.replaceAll(',', ',')}\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+$`,
  );
  const bad = hashes.filter((r) => !wanted.test(r.password_hash));
  if (bad.length)
    fail('storage', `${bad.length} of ${hashes.length} password hashes are not argon2id ${params}`);

  const jwt = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./;
  let lines = 0;
  for (const file of readdirSync(tmp).filter((name) => name.endsWith('.log'))) {
    for (const line of readFileSync(join(tmp, file), 'utf8').split('\n')) {
      lines++;
      const leaked =
        jwt.test(line) || line.includes('$argon2') || [...secrets].some((secret) => line.includes(secret));
      if (leaked) fail('storage', `${file}: a secret in a log line: ${line.slice(0, 160)}`);
    }
  }
  figures.storage = `${probes} role probes, ${hashes.length} hashes (argon2id ${params}), ${lines} log lines read for ${secrets.size} secrets`;
  progress(figures.storage);
}
