// `npm run test:security` (`-- --long` for 2000 fuzz runs per operation instead of 100):
// builds, starts the four services and the gateway on ports 4301-4304/4380 against their own
// database and vhost (shop_security) and Redis prefix (security:), then attacks them through
// the gateway and directly: the authorization matrix, forged tokens, a disabled user, the
// refresh race, WebSocket abuse, fuzzing, sqlmap and the storage checks. Prints a summary and
// exits non-zero if any check failed. Everything it creates is removed at the end, on Ctrl-C
// and on failure; sqlmap's report stays in the printed temp dir.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup, ROOT, shutdown } from '../bench/lib/procs.mjs';
import { preflight } from '../scripts/lib/preflight.mjs';
import { authorizationMatrix } from './checks/matrix.mjs';
import { disabledUser } from './checks/disabled-user.mjs';
import { forgedTokens } from './checks/forged-tokens.mjs';
import { fuzz } from './checks/fuzz.mjs';
import { refreshRace } from './checks/refresh-race.mjs';
import { sqlmap } from './checks/sqlmap.mjs';
import { schemaSnapshot, storage } from './checks/storage.mjs';
import { websocket } from './checks/websocket.mjs';
import { rotatedOutKey } from './lib/keys.mjs';
import { loadOperations } from './lib/operations.mjs';
import { fail, failuresOf, figures, step } from './lib/results.mjs';
import { assertPortsFree, infra, startSystem } from './lib/system.mjs';

const long = process.argv.includes('--long');
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'shop-security-'));

step('Checking PostgreSQL, Redis and RabbitMQ, and sqlmap…');
await preflight();
try {
  execFileSync('sqlmap', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('sqlmap is not installed: apt-get install -y sqlmap');
  process.exit(1);
}
await assertPortsFree();

step('Building (npm run build)…');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });

step(`Database ${infra.db} (bootstrap + migrations), vhost ${infra.vhost}, a signing key rotated out…`);
onCleanup(() => infra.dropDatabase());
await infra.setUpDatabase();
onCleanup(() => infra.dropBroker());
await infra.setUpBroker();
onCleanup(async () =>
  console.log(`  removed ${await infra.deleteRedisKeys()} Redis keys (${infra.prefix}*)`),
);
const rotatedOut = await rotatedOutKey(infra);
const schemaAtStart = await schemaSnapshot();

step(`Starting users, items, orders, inventory and the gateway (logs in ${tmp})…`);
await startSystem(tmp);
const operations = await loadOperations();
const context = { operations, rotatedOut, schemaAtStart, tmp, long };

const CHECKS = [
  ['matrix', 'Authorization matrix', authorizationMatrix],
  ['forged tokens', 'Forged tokens at every process', forgedTokens],
  ['disabled user', 'A disabled user, at the gateway and at each service directly', disabledUser],
  ['refresh race', 'Two concurrent refreshes of one refresh token', refreshRace],
  ['websocket', 'WebSocket credentials, frames and flood', websocket],
  ['fuzz', `Fuzzing every operation (${long ? 2000 : 100} runs each)`, fuzz],
  ['sqlmap', 'sqlmap through the gateway', sqlmap],
  ['storage', 'Storage: roles, DDL, password hashes, logs', storage],
];
for (const [name, title, run] of CHECKS) {
  step(`${title}…`);
  try {
    await run(context);
  } catch (error) {
    // The check itself broke: a failure of that check, and the others still run.
    fail(name, `the check stopped: ${error.stack ?? error}`);
  }
}

step('Summary');
for (const [name] of CHECKS) {
  const failed = failuresOf(name).length;
  console.log(`  ${failed ? 'FAIL' : 'ok  '}  ${name}${failed ? ` (${failed} failures)` : ''}`);
}
for (const [name, text] of Object.entries(figures)) console.log(`  ${name}: ${text}`);
const failedChecks = CHECKS.filter(([name]) => failuresOf(name).length > 0).length;
console.log(`  took ${Math.round((Date.now() - started) / 1000)} s`);
// The plain closing line CI reads: how many checks passed and failed.
console.log(`${CHECKS.length - failedChecks} passed, ${failedChecks} failed`);
await shutdown(failedChecks ? 1 : 0);
