// §1: argon2 hashes on libuv's thread pool, so the users service's event loop keeps
// answering while logins are being checked.
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { adminCredentials } from '../../scripts/lib/system.mjs';
import { expectThat } from '../lib/expect.mjs';
import { USERS_URL } from '../lib/system.mjs';

export const section = 1;
export const title = 'password hashing stays off the event loop';

const LOGINS = 8;

export async function run() {
  const { username, password } = adminCredentials();
  // Straight to the users service: the gateway would count these against its login limit.
  const login = () =>
    fetch(`${USERS_URL}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username, password }),
    }).then((response) => response.status);
  const started = performance.now();
  const logins = Promise.all(Array.from({ length: LOGINS }, login));
  // Let the logins reach the service first, then ask it something that needs only its loop.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const probeStarted = performance.now();
  const live = await fetch(`${USERS_URL}/health/live`).then((response) => response.status);
  const probeMs = performance.now() - probeStarted;
  const statuses = await logins;
  const loginsMs = performance.now() - started;
  expectThat(live === 200, '/health/live did not answer 200', live);
  expectThat(
    statuses.every((status) => status === 200),
    'a login failed',
    statuses,
  );
  // Hashes on the loop would queue the probe behind all of them.
  expectThat(probeMs < loginsMs, `/health/live took ${probeMs.toFixed(0)} ms, as long as ${LOGINS} logins`);
  return `${LOGINS} parallel logins took ${loginsMs.toFixed(0)} ms; /health/live answered in ${probeMs.toFixed(0)} ms meanwhile`;
}
