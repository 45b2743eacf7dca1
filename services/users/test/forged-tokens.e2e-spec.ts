import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, JWK, SignJWT } from 'jose';
import { Client } from 'pg';
import { bearer, login, newUser, startUsersApp, UsersApp } from './support/users-app.fixture';

/** Every way of forging or bending an access token that the verifier must refuse. */
describe('access token verification', () => {
  let users: UsersApp;
  let valid: string;
  let realKey: { kid: string; privateJwk: JWK; publicJwk: JWK };

  beforeAll(async () => {
    users = await startUsersApp();
    const customer = newUser();
    await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: customer });
    valid = (await login(users.app, customer.username, customer.password)).access_token;
    const admin = new Client({ connectionString: users.db.adminUrl });
    await admin.connect();
    const { rows } = await admin.query('SELECT kid, private_jwk, public_jwk FROM users.signing_keys');
    await admin.end();
    realKey = { kid: rows[0].kid, privateJwk: rows[0].private_jwk, publicJwk: rows[0].public_jwk };
  });
  afterAll(() => users.close());

  const me = (token: string) =>
    users.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(token) });
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

  /** Signs claims with the service's real private key, so only the bent claim can be refused. */
  async function signWithRealKey(
    overrides: Record<string, unknown>,
    headerOverrides: Record<string, unknown> = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...claimsOf(valid), iat: now, exp: now + 300, jti: randomUUID(), ...overrides };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: realKey.kid, typ: 'at+jwt', ...headerOverrides })
      .sign(await importJWK(realKey.privateJwk, 'EdDSA'));
  }

  it('accepts the genuine token', async () => {
    expect((await me(valid)).statusCode).toBe(200);
    expect((await me(await signWithRealKey({}))).statusCode).toBe(200);
  });

  it('refuses a request without a token with 401', async () => {
    const res = await users.app.inject({ method: 'GET', url: '/api/v1/users/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses alg none', async () => {
    const [, payload] = valid.split('.');
    expect((await me(`${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`)).statusCode).toBe(401);
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(realKey.publicJwk));
    const forged = await new SignJWT(claimsOf(valid))
      .setProtectedHeader({ alg: 'HS256', kid: realKey.kid, typ: 'at+jwt' })
      .sign(secret);
    const rawKey = Buffer.from(realKey.publicJwk.x!, 'base64url');
    const forgedRaw = await new SignJWT(claimsOf(valid))
      .setProtectedHeader({ alg: 'HS256', kid: realKey.kid, typ: 'at+jwt' })
      .sign(rawKey);
    expect([(await me(forged)).statusCode, (await me(forgedRaw)).statusCode]).toEqual([401, 401]);
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = valid.split('.');
    const escalated = b64({ ...claimsOf(valid), scope: 'users:read users:write' });
    expect((await me(`${header}.${escalated}.${signature}`)).statusCode).toBe(401);
  });

  it.each([
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 120 }, {}],
    ['a wrong audience', { aud: 'someone-else' }, {}],
    ['a wrong issuer', { iss: 'http://evil.example' }, {}],
    ['a plain JWT type', {}, { typ: 'JWT' }],
    ['an unknown kid', {}, { kid: 'no-such-key' }],
    ['a token without sub', { sub: undefined }, {}],
  ])('refuses %s signed with the real key', async (_case, claims, header) => {
    expect((await me(await signWithRealKey(claims, header))).statusCode).toBe(401);
  });

  it('refuses a well-formed token signed by a key it does not publish', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA');
    const kid = (await exportJWK(publicKey)).x!;
    const forged = await new SignJWT(claimsOf(valid))
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .sign(privateKey);
    expect((await me(forged)).statusCode).toBe(401);
  });

  it('answers a valid token without the needed scope with 403', async () => {
    const res = await users.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(valid) });
    expect(res.statusCode).toBe(403);
  });
});
