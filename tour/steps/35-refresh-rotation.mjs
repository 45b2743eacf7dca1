// §35: refresh tokens rotate; a spent one, used again, revokes its whole family (RFC 9700 §4.14.2).
import { URLSearchParams } from 'node:url';
import { expectThat } from '../lib/expect.mjs';
import { BASE_URL, newCustomer } from '../lib/system.mjs';

export const section = 35;
export const title = 'refresh token rotation and reuse';

const refresh = async (token) => {
  const response = await fetch(`${BASE_URL}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
  });
  return { status: response.status, body: await response.json() };
};

export async function run() {
  // A customer of its own: this step revokes its logins.
  const { tokens } = await newCustomer('tourr');
  const rotated = await refresh(tokens.refresh_token);
  expectThat(
    rotated.status === 200 && rotated.body.refresh_token !== tokens.refresh_token,
    'no rotated refresh token',
    rotated,
  );
  const reused = await refresh(tokens.refresh_token);
  expectThat(
    reused.status === 400 && reused.body.error === 'invalid_grant',
    'the spent token was not refused',
    reused,
  );
  const family = await refresh(rotated.body.refresh_token);
  expectThat(family.status === 400, 'the family was not revoked: the rotated token still works', family);
  return 'refresh → a new pair; the spent token again → invalid_grant, and its successor is revoked too';
}
