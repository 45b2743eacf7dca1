// §15: the token endpoint: a short-lived access token signed with a key only users holds.
import { URLSearchParams } from 'node:url';
import { adminCredentials } from '../../scripts/lib/system.mjs';
import { customer } from '../lib/actors.mjs';
import { expectThat } from '../lib/expect.mjs';
import { BASE_URL } from '../lib/system.mjs';

export const section = 15;
export const title = 'OAuth2 password grant and JWT';

export async function run(tour) {
  const { tokens } = await customer(tour);
  expectThat(
    tokens.token_type === 'bearer' && tokens.expires_in <= 900,
    'not a bearer token of ≤ 15 min',
    tokens,
  );
  const header = JSON.parse(Buffer.from(tokens.access_token.split('.')[0], 'base64url').toString());
  expectThat(
    ['EdDSA', 'ES256'].includes(header.alg) && header.kid,
    'not an asymmetric signature with a kid',
    header,
  );
  const wrong = await fetch(`${BASE_URL}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      username: adminCredentials().username,
      password: 'Wrong123wrong',
    }),
  });
  const body = await wrong.json();
  expectThat(
    wrong.status === 400 && body.error === 'invalid_grant',
    'a wrong password is not 400 invalid_grant',
    body,
  );
  return `${header.alg} token (kid ${header.kid.slice(0, 8)}…, ${tokens.expires_in} s, scope "${tokens.scope}"); wrong password → 400 invalid_grant`;
}
