// `npm run reset-admin-password`: gives the bootstrap admin the password that
// `npm start` prints (ADMIN_USERNAME / ADMIN_PASSWORD, or the dev default) in
// the database `npm start` uses. The users service never changes an existing
// admin by itself: an admin made by an earlier start keeps its password until
// this runs. Safe while Shop runs; the admin's refresh tokens are revoked.
import { build, run, step } from './lib/run.mjs';
import { PROCESSES, processEnv } from './lib/system.mjs';

const users = PROCESSES.find((proc) => proc.name === 'users');
step('Building the users service (tsc -b)…');
await build([users.dir]);
step(`Resetting the password of "${processEnv(users).ADMIN_USERNAME}"…`);
await run(process.execPath, [`${users.dir}/dist/reset-admin-password.js`], { env: processEnv(users) }).catch(
  () => process.exit(1),
);
