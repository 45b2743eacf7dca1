// /ws with no, bad, forged and expired credentials, a ticket used twice, an oversized frame and
// a message flood: each closed as SPEC says, while a bystander's socket stays open and ready.
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import WebSocket from 'ws';
import { adminLogin, newCustomer } from '../lib/actors.mjs';
import { call } from '../lib/http.mjs';
import { activeKey } from '../lib/keys.mjs';
import { fail, figures, progress } from '../lib/results.mjs';
import { GATEWAY, infra, JWT, unhealthy } from '../lib/system.mjs';

const WS = GATEWAY.replace('http', 'ws') + '/ws';

/** Opens a socket; resolves with `{ socket, first }` once the first message or the close came. */
function open({ token, ticket } = {}) {
  const protocols = token ? ['bearer', token] : undefined;
  const socket = new WebSocket(ticket ? `${WS}?ticket=${ticket}` : WS, protocols);
  const closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('error', () => {});
  const first = new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(String(data))));
    closed.then(() => resolve(null));
  });
  return { socket, first, closed };
}

const within = (promise, ms) =>
  Promise.race([promise, new Promise((r) => setTimeout(() => r('timeout'), ms))]);

async function expectClose(name, client, code) {
  const got = await within(client.closed, 5000);
  if (got !== code)
    fail('websocket', `${name}: ${got === 'timeout' ? 'still open' : `closed ${got}`}, SPEC: ${code}`);
  return got;
}

async function expired(subject) {
  const real = await activeKey(infra);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'orders:read', jti: randomUUID() })
    .setProtectedHeader({ alg: 'EdDSA', kid: real.kid, typ: 'at+jwt' })
    .setSubject(subject)
    .setIssuer(JWT.issuer)
    .setAudience(JWT.audience)
    .setIssuedAt(now - 600)
    .setExpirationTime(now - 60)
    .sign(await importJWK(real.privateJwk, 'EdDSA'));
}

export async function websocket() {
  await adminLogin();
  const [customer, bystander] = [await newCustomer(), await newCustomer()];
  const watcher = open({ token: bystander.token });
  if ((await watcher.first)?.type !== 'ready') fail('websocket', 'a valid token did not get a ready message');
  let cases = 0;
  const check = async (name, options, code) => {
    cases++;
    await expectClose(name, open(options), code);
  };
  await check('no credentials', {}, 1008);
  await check('garbage token', { token: 'not.a.token' }, 1008);
  await check('alg none', { token: `${Buffer.from('{"alg":"none"}').toString('base64url')}.e30.` }, 1008);
  await check('expired token', { token: await expired(customer.id) }, 1008);
  await check('unknown ticket', { ticket: 'A'.repeat(43) }, 1008);

  const issued = await call(GATEWAY, { method: 'POST', path: '/ws/tickets', token: customer.token });
  if (issued.status !== 201) fail('websocket', `POST /ws/tickets: ${issued.status}`);
  const first = open({ ticket: issued.json?.ticket });
  if ((await first.first)?.type !== 'ready') fail('websocket', 'a fresh ticket did not open a socket');
  await check('ticket reused', { ticket: issued.json?.ticket }, 1008);
  first.socket.close();

  cases++;
  const big = open({ token: customer.token });
  await big.first;
  big.socket.send('x'.repeat(64 * 1024));
  await expectClose('oversized frame (64 KiB)', big, 1009);

  cases++;
  const flood = open({ token: customer.token });
  await flood.first;
  const started = Date.now();
  for (let i = 0; i < 20_000 && flood.socket.readyState === WebSocket.OPEN; i++)
    flood.socket.send('{"type":"ping"}');
  const floodCode = await within(flood.closed, 1000);
  progress(
    `flood of 20 000 messages in ${Date.now() - started} ms: ${floodCode === 'timeout' ? 'socket kept open' : `closed ${floodCode}`}`,
  );
  flood.socket.terminate();

  if (watcher.socket.readyState !== WebSocket.OPEN)
    fail('websocket', 'the bystander socket was closed by the others');
  const me = await call(GATEWAY, { path: '/api/v1/users/me', token: bystander.token });
  if (me.status !== 200)
    fail('websocket', `the gateway answered ${me.status} to a plain request after the flood`);
  const down = await unhealthy();
  if (down.length) fail('websocket', `not ready after the WebSocket cases: ${down.join(', ')}`);
  watcher.socket.close();
  figures.websocket = `${cases} cases; bystander socket ${watcher.socket.readyState <= 2 ? 'kept' : 'lost'}`;
  progress(figures.websocket);
}
