// `npm start`: the whole system as local processes. Checks the infrastructure,
// builds, bootstraps and migrates the database, then runs every process with
// prefixed output until Ctrl-C.
import { once } from 'node:events';
import { preflight } from './lib/preflight.mjs';
import { ROOT, run, startPrefixed } from './lib/run.mjs';
import { adminCredentials, adminUrl, PROCESSES, processEnv } from './lib/system.mjs';

const step = (message) => console.log(`\x1b[1m▸ ${message}\x1b[0m`);

await preflight();

step('Building (tsc -b)…');
await run(`${ROOT}node_modules/.bin/tsc`, ['-b', ...PROCESSES.map((proc) => proc.dir)]);

step('Bootstrapping the database (scripts/db/bootstrap.sh)…');
await run('bash', [`${ROOT}scripts/db/bootstrap.sh`]);

step('Creating the broker users (scripts/broker/bootstrap.sh)…');
await run('bash', [`${ROOT}scripts/broker/bootstrap.sh`]).catch((error) => {
  console.error(
    `${error.message}\nThe broker users could not be created: run scripts/broker/bootstrap.sh as root (it calls rabbitmqctl), then npm start again.`,
  );
  process.exit(1);
});

for (const proc of PROCESSES.filter((p) => p.schema)) {
  step(`Migrating the ${proc.schema} schema…`);
  await run('node', [`${proc.dir}/dist/migrate.js`], {
    env: { ...process.env, DATABASE_ADMIN_URL: adminUrl() },
  });
}

step('Starting the processes (Ctrl-C stops them all)…');
const children = PROCESSES.map((proc, index) =>
  startPrefixed(proc.name, index, process.execPath, [`${proc.dir}/dist/main.js`], processEnv(proc)),
);

let stopping = false;
function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  for (const child of children) child.kill('SIGTERM');
  Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : null))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => stopAll());
process.on('SIGTERM', () => stopAll());
children.forEach((child, index) =>
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(
        `${PROCESSES[index].name} exited with code ${code}; stopping the others. Its last lines above say why.`,
      );
      stopAll(1);
    }
  }),
);

const gateway = processEnv(PROCESSES.find((proc) => proc.name === 'gateway'));
const admin = adminCredentials();
setTimeout(() => {
  console.log(`
\x1b[1mShop is starting.\x1b[0m
  API (gateway)     http://localhost:${gateway.PORT}
  API docs          http://localhost:${gateway.PORT}/docs
  Gateway metrics   http://localhost:${gateway.ADMIN_PORT}/metrics
  Services          ${PROCESSES.filter((p) => p.schema)
    .map((p) => `${p.name} :${p.port}`)
    .join(', ')} (each: /health/ready, /metrics, /openapi.json)
  Admin login       ${admin.username} / ${admin.password}  (${admin.fromEnv ? 'from ADMIN_USERNAME / ADMIN_PASSWORD' : 'dev default; set ADMIN_USERNAME and ADMIN_PASSWORD to choose your own'})
  Try:  curl -s -d grant_type=password -d username=${admin.username} -d 'password=${admin.password}' http://localhost:${gateway.PORT}/auth/token
`);
}, 1500).unref();
