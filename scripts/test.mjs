// `npm test`: builds every package (the end-to-end suites start the built
// processes) and the typed client (tsc checks its suite against the documents),
// then runs every Jest suite against the real Postgres, Redis and RabbitMQ, and
// ends with the tests it skipped and why. Extra arguments go to Jest:
// `npm test -- services/users`.
import { preflight } from './lib/preflight.mjs';
import { build, buildClient, ROOT, run, step } from './lib/run.mjs';
import { PROCESSES } from './lib/system.mjs';

await preflight();
step('Building (tsc -b)…');
await build(['shared', ...PROCESSES.map((proc) => proc.dir)]);
step('Building the typed client (openapi-typescript, tsc -b client)…');
await buildClient();
step('Running the test suites (Jest)…');
const env = {
  ...process.env,
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
};
// Last: Jest's --reporters takes every plain argument after it as another reporter.
const reporters = ['--reporters=default', `--reporters=${ROOT}scripts/lib/skip-reasons.reporter.mjs`];
try {
  await run(`${ROOT}node_modules/.bin/jest`, [...process.argv.slice(2), ...reporters], { env });
} catch {
  process.exit(1);
}
