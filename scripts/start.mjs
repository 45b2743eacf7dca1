// `npm start`: the whole system as local processes. Checks the infrastructure,
// builds, bootstraps and migrates the database, runs every process with
// prefixed output, says "Shop is ready" once each answers /health/ready, and
// checks the admin login it prints. Ctrl-C or SIGTERM stops everything
// (package.json starts this with `exec`, so that the SIGTERM npm forwards
// reaches this process rather than the shell npm runs it in).
import { preflight } from './lib/preflight.mjs';
import { checkAdminLogin, waitUntilReady } from './lib/ready.mjs';
import { build, buildClient, ROOT, run, startPrefixed, step, stopChildren, style } from './lib/run.mjs';
import { adminCredentials, adminUrl, PROCESSES, processEnv, urlOf } from './lib/system.mjs';

let stopping = false;
/** Stops every child, whichever step we are at, then exits. */
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await stopChildren('SIGTERM');
  console.log('Stopped.');
  process.exit(code);
}
process.on('SIGINT', () => stopAll());
process.on('SIGTERM', () => stopAll());

await preflight();

step('Building (tsc -b)…');
await build(PROCESSES.map((proc) => proc.dir));
// The typed client too, so that `npm run tour` and `npm run demo` work against what starts here.
await buildClient();

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
const processes = PROCESSES.map((proc) => ({ ...proc, env: processEnv(proc) }));
/** Where this machine reaches a process's `port` (its PORT unless said). */
const urlFor = (proc, port = proc.env.PORT) => urlOf(proc.env.HOST, port);
for (const [index, proc] of processes.entries()) {
  startPrefixed(proc.name, index, process.execPath, [`${proc.dir}/dist/main.js`], proc.env).on(
    'exit',
    (code) => {
      if (stopping) return;
      console.error(
        `${proc.name} exited with code ${code}; stopping the others. Its last lines above say why.`,
      );
      stopAll(1);
    },
  );
}

await waitUntilReady(
  processes.map((proc) => ({ name: proc.name, url: urlFor(proc) })),
  { stopped: () => stopping },
);
if (!stopping) await announceReady();

/** The banner, printed only once every process is ready, and the admin login it prints, tried. */
async function announceReady() {
  const gateway = processes.find((proc) => proc.name === 'gateway');
  const api = urlFor(gateway);
  const admin = adminCredentials();
  const loginProblem = await checkAdminLogin(api, admin);
  const services = processes.filter((proc) => proc.schema).map((proc) => `${proc.name} ${urlFor(proc)}`);
  const host = gateway.env.HOST;
  console.log(`
${style('bold', 'Shop is ready.')}
  API (gateway)     ${api}
  API docs          ${api}/docs
  WebSocket         ${api.replace(/^http/, 'ws')}/ws
  Gateway metrics   ${urlFor(gateway, gateway.env.ADMIN_PORT)}/metrics
  Services          ${services.join(', ')}
                    (each: /health/ready, /metrics, /openapi.json)
  Listening on      ${host}${host === '127.0.0.1' ? ' (this machine only; set HOST to change that)' : ''}
  Admin login       ${admin.username} / ${admin.password}  (${admin.fromEnv ? 'your ADMIN_USERNAME / ADMIN_PASSWORD' : 'dev default; set ADMIN_USERNAME and ADMIN_PASSWORD to choose your own'})${loginProblem ? '' : ', checked: it works'}
  Try:  curl -s -d grant_type=password -d username=${admin.username} -d 'password=${admin.password}' ${api}/auth/token
  Next: README.md, "Your first order"
`);
  if (loginProblem) console.log(`${style(['bold', 'yellow'], loginProblem)}\n`);
}
