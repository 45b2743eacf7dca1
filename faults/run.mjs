// npm run test:faults [-- --long] [--broker-stop] [--only a,c]
// A Jepsen-style suite over the whole running system: it sets up its own database, vhost
// and Redis prefix, builds, starts every process twice over where the issue says so, and
// breaks them while customers order. docs/reliability.md says what each scenario proves.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { step, progress } from '../bench/lib/output.mjs';
import { preflight } from '../scripts/lib/preflight.mjs';
import { build } from '../scripts/lib/run.mjs';
import { infra } from './lib/infra.mjs';
import * as report from './lib/report.mjs';
import * as supervisor from './lib/supervisor.mjs';
import { startSystem } from './lib/system.mjs';
import { adminToken, stockedItem } from './lib/seed.mjs';
import { chaos } from './scenarios/a-chaos.mjs';
import { gracefulRestarts } from './scenarios/b-graceful.mjs';
import { relayKills } from './scenarios/c-relay.mjs';
import { poisonMessages } from './scenarios/d-poison.mjs';
import { websocketCatchUp } from './scenarios/e-websocket.mjs';

const SCENARIOS = { a: chaos, b: gracefulRestarts, c: relayKills, d: poisonMessages, e: websocketCatchUp };

const { values: args } = parseArgs({
  options: {
    long: { type: 'boolean', default: false },
    'broker-stop': { type: 'boolean', default: false },
    only: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
    keep: { type: 'boolean', default: false },
  },
});
const options = { long: args.long, brokerStop: args['broker-stop'] || args.long };
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

async function main() {
  await preflight();
  step('Building (tsc -b)');
  await build([
    'shared',
    'services/users',
    'services/items',
    'services/orders',
    'services/inventory',
    'gateway',
  ]);

  step(`Own database ${infra.db}, vhost ${infra.vhost}, Redis prefix ${infra.prefix}*`);
  await Promise.all([infra.setUpDatabase(), infra.setUpBroker({ fastRetries: !options.long })]);
  progress(`${await infra.deleteRedisKeys()} stale Redis keys removed`);
  if (!args.keep) {
    supervisor.onRestore(async () => {
      if (report.failed().length > 0) return; // kept for a look at what went wrong
      await Promise.all([infra.dropDatabase(), infra.dropBroker(), infra.deleteRedisKeys()]);
    });
  }

  const logDir = mkdtempSync(join(tmpdir(), 'shop-faults-'));
  step(`Starting 9 processes (logs in ${logDir})`);
  await startSystem({ logDir, expiryInterval: '5s', pendingTtl: options.long ? '5m' : '3m' });
  const token = await adminToken();
  const items = [await stockedItem(token, 'Fault widget'), await stockedItem(token, 'Fault gadget')];
  progress(`ready after ${elapsed()}`);

  const context = { options, token, items, logDir };
  for (const id of args.only.split(',')) {
    await SCENARIOS[id](context);
    progress(`(${id}) done at ${elapsed()}`);
  }
  report.check(
    'no process exited by itself',
    supervisor.surprises.length === 0,
    supervisor.surprises.join('; '),
  );
  report.printSummary();
  console.log(`  wall time ${elapsed()}; logs in ${logDir}`);
  if (report.failed().length > 0)
    console.log(`  ${infra.db} and vhost ${infra.vhost} kept for inspection (the next run drops them)`);
  await supervisor.shutdown(report.failed().length > 0 ? 1 : 0);
}

main().catch(async (error) => {
  console.error(`\n✖ ${error.stack ?? error}`);
  await supervisor.shutdown(1);
});
