// Forged access tokens at every protected operation of every process: none may be accepted.
// A genuine token made the same way is the control: if it were refused, the check could not fail.
import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { adminLogin, ALL_SCOPES, newWorld } from '../lib/actors.mjs';
import { call } from '../lib/http.mjs';
import { activeKey } from '../lib/keys.mjs';
import { label } from '../lib/operations.mjs';
import { fail, figures, progress } from '../lib/results.mjs';
import { sampleRequest } from '../lib/samples.mjs';
import { GATEWAY, infra, JWT, ORIGINS } from '../lib/system.mjs';

const b64 = (value) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A JWT signed by hand with HMAC-SHA256 over `secret` (jose refuses to use a public key so). */
function hs256(header, payload, secret) {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

async function forgeries(subject, rotatedOut) {
  const real = await activeKey(infra);
  const realKey = await importJWK(real.privateJwk, 'EdDSA');
  const foreign = await generateKeyPair('EdDSA', { extractable: true });
  const claims = (extra = {}) => ({ sub: subject, scope: ALL_SCOPES.join(' '), jti: randomUUID(), ...extra });
  const sign = (
    key,
    {
      kid = real.kid,
      typ = 'at+jwt',
      iss = JWT.issuer,
      aud = JWT.audience,
      iat = now(),
      exp = now() + 300,
      nbf,
    } = {},
  ) =>
    new SignJWT(claims(nbf ? { nbf } : {}))
      .setProtectedHeader({ alg: 'EdDSA', kid, typ })
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
  const header = { alg: 'HS256', typ: 'at+jwt', kid: real.kid };
  const payload = claims({ iss: JWT.issuer, aud: JWT.audience, iat: now(), exp: now() + 300 });
  const publicPem = createPublicKey({ key: real.publicJwk, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  });
  return {
    control: await sign(realKey),
    forged: {
      'alg none': `${b64({ alg: 'none', typ: 'at+jwt', kid: real.kid })}.${b64(payload)}.`,
      'HS256 keyed with the public JWK': hs256(header, payload, JSON.stringify(real.publicJwk)),
      'HS256 keyed with the public PEM': hs256(header, payload, publicPem),
      'wrong iss': await sign(realKey, { iss: 'https://evil.example' }),
      'wrong aud': await sign(realKey, { aud: 'someone-else' }),
      'wrong typ (JWT)': await sign(realKey, { typ: 'JWT' }),
      expired: await sign(realKey, { iat: now() - 600, exp: now() - 60 }),
      'not yet valid': await sign(realKey, { nbf: now() + 600 }),
      'unknown kid': await sign(foreign.privateKey, { kid: 'unknown-kid-0123456789' }),
      'foreign key, real kid': await sign(foreign.privateKey),
      'foreign key, its own kid': await sign(foreign.privateKey, {
        kid: (await exportJWK(foreign.publicKey)).x,
      }),
      'key rotated out': await sign(await importJWK(rotatedOut, 'EdDSA'), { kid: rotatedOut.kid }),
      'signature stripped': (await sign(realKey)).replace(/\.[^.]+$/, '.'),
    },
  };
}

export async function forgedTokens({ operations, rotatedOut }) {
  const admin = (await adminLogin()).access_token;
  const world = await newWorld(admin);
  const { control, forged } = await forgeries(world.owner.id, rotatedOut);
  const protectedOps = operations.filter((op) => op.access !== 'public' && op.method === 'GET');
  const writes = operations.filter((op) => op.access !== 'public' && op.method !== 'GET');
  let tried = 0;
  let accepted = 0;
  for (const op of [...protectedOps, ...writes])
    for (const [where, origin] of [
      ['gateway', GATEWAY],
      [op.service, ORIGINS[op.service]],
    ]) {
      for (const [name, token] of Object.entries(forged)) {
        const answer = await call(origin, { method: op.method, token, ...sampleRequest(op, world) });
        tried++;
        if (answer.status !== 401) {
          accepted++;
          fail(
            'forged tokens',
            `${name} at ${label(op)} via ${where}: ${answer.status || answer.error}, not 401`,
          );
        }
      }
    }
  for (const op of protectedOps)
    for (const origin of [GATEWAY, ORIGINS[op.service]]) {
      const answer = await call(origin, { method: op.method, token: control, ...sampleRequest(op, world) });
      if (answer.status === 401)
        fail('forged tokens', `control token refused at ${label(op)} (${origin}): the check is blind`);
    }
  figures.forged = `${Object.keys(forged).length} kinds × ${protectedOps.length + writes.length} operations × 2 targets: ${tried} tried, ${accepted} accepted`;
  progress(figures.forged);
}
