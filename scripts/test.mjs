// `npm test`: builds every package (the end-to-end suites start the built
// processes), then runs every Jest suite against the real Postgres, Redis and
// RabbitMQ. Extra arguments go to Jest: `npm test -- services/users`.
import { preflight } from './lib/preflight.mjs';
import { ROOT, run } from './lib/run.mjs';
import { PROCESSES } from './lib/system.mjs';

await preflight();
console.log('▸ Building (tsc -b)…');
await run(`${ROOT}node_modules/.bin/tsc`, ['-b', 'shared', ...PROCESSES.map((proc) => proc.dir)]);
console.log('▸ Running the test suites (Jest)…');
const env = {
  ...process.env,
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
};
try {
  await run(`${ROOT}node_modules/.bin/jest`, process.argv.slice(2), { env });
} catch {
  process.exit(1);
}
