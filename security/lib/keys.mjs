// The signing keys as an attacker might hold them: the active private key read from the
// database (to sign tokens that are genuine but for one wrong claim), and a key rotated out —
// once genuine, now gone from the JWKS — made before any verifier had a chance to cache it.
import pg from 'pg';
import { serviceEnv } from './system.mjs';

async function query(infra, sql, params) {
  const client = new pg.Client({ connectionString: infra.adminUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Before the users service starts: rotate in a first key, keep its private JWK, then retire
 * it far enough in the past that the next rotation deletes it. Returns that private JWK.
 */
export async function rotatedOutKey(infra) {
  const rotate = () => infra.usersCommand('rotate-signing-key.js', serviceEnv('users'));
  await rotate();
  const [first] = await query(
    infra,
    'SELECT kid, private_jwk FROM users.signing_keys WHERE retired_at IS NULL',
  );
  await rotate();
  await query(infra, `UPDATE users.signing_keys SET retired_at = now() - interval '1 day' WHERE kid = $1`, [
    first.kid,
  ]);
  await rotate();
  const left = await query(infra, 'SELECT 1 FROM users.signing_keys WHERE kid = $1', [first.kid]);
  if (left.length > 0) throw new Error('the rotated-out key is still in users.signing_keys');
  return first.private_jwk;
}

/** The key that signs tokens now: `{ kid, privateJwk, publicJwk }`. */
export async function activeKey(infra) {
  const [row] = await query(
    infra,
    'SELECT kid, private_jwk, public_jwk FROM users.signing_keys WHERE retired_at IS NULL',
  );
  return { kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk };
}

export { query };
