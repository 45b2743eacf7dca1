// Waiting for the processes `npm start` runs, and checking the admin login it
// prints, so that what it says about the system is what it has seen.
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';

const POLL_MS = 250;
const REPORT_EVERY_MS = 15_000;

/** `GET url`: its status, or why there is none (not listening yet, too slow). */
async function probe(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status === 200 ? 'ready' : `answers ${response.status}`;
  } catch (error) {
    return error.cause?.code === 'ECONNREFUSED' ? 'not listening yet' : (error.cause?.code ?? error.name);
  }
}

/**
 * Resolves once every target's `/health/ready` answers 200. Every 15 s it
 * says which are still waiting and why, so a process stuck on a dependency
 * is named rather than left to guess. `stopped()` ends the wait early.
 */
export async function waitUntilReady(targets, { stopped = () => false } = {}) {
  const waiting = new Map(targets.map((target) => [target.name, `${target.url}/health/ready`]));
  let lastReport = Date.now();
  while (waiting.size > 0 && !stopped()) {
    const states = await Promise.all([...waiting].map(async ([name, url]) => [name, await probe(url)]));
    for (const [name, state] of states) if (state === 'ready') waiting.delete(name);
    if (waiting.size > 0 && Date.now() - lastReport >= REPORT_EVERY_MS) {
      lastReport = Date.now();
      const pending = states
        .filter(([name]) => waiting.has(name))
        .map(([name, state]) => `${name} (${state})`);
      console.log(`  still waiting for ${pending.join(', ')}…`);
    }
    if (waiting.size > 0) await sleep(POLL_MS);
  }
}

/**
 * Logs in through the gateway as `npm start` says to. Resolves to null when
 * that works, or to the reason it does not, in words a newcomer can act on.
 */
export async function checkAdminLogin(gatewayUrl, { username, password, fromEnv }) {
  let response;
  try {
    response = await fetch(`${gatewayUrl}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username, password }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return `The admin login could not be tried: ${error.cause?.code ?? error.message}.`;
  }
  if (response.ok) return null;
  const body = await response.json().catch(() => ({}));
  if (body.error !== 'invalid_grant')
    return `The admin login above was refused with ${response.status} ${JSON.stringify(body)}.`;
  return [
    `The admin login above was refused (invalid_grant): the database already has a user "${username}"`,
    `whose password is not this one. An earlier start created it with other ADMIN_USERNAME /`,
    `ADMIN_PASSWORD values, and the users service keeps an existing admin as it is (its log above`,
    `says so). To give it the password above, run in another terminal (Shop can keep running):`,
    ``,
    `    npm run reset-admin-password`,
    ...(fromEnv ? [`    (with the same ADMIN_USERNAME and ADMIN_PASSWORD in its environment)`] : []),
    ``,
    `or log in with the password you chose then.`,
  ].join('\n');
}
