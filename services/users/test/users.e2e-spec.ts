import { ADMIN, bearer, login, newUser, startUsersApp, UsersApp } from './support/users-app.fixture';

describe('the users API', () => {
  let users: UsersApp;
  let admin: string;
  beforeAll(async () => {
    users = await startUsersApp();
    admin = (await login(users.app, ADMIN.username, ADMIN.password)).access_token;
  });
  afterAll(() => users.close());

  async function customer() {
    const body = newUser();
    const user = (await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: body })).json();
    return {
      ...body,
      id: user.id as string,
      token: (await login(users.app, body.username, body.password)).access_token,
    };
  }
  const call = (method: 'GET' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
    users.app.inject({ method, url, headers: bearer(token), payload });

  it('shows callers themselves at /me', async () => {
    const alice = await customer();
    expect((await call('GET', '/api/v1/users/me', alice.token)).json()).toMatchObject({
      id: alice.id,
      username: alice.username,
    });
  });

  it('lists users only for users:read, with bounded pagination', async () => {
    const alice = await customer();
    expect((await call('GET', '/api/v1/users', alice.token)).statusCode).toBe(403);
    const page = await call('GET', '/api/v1/users?skip=0&limit=1', admin);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toHaveLength(1);
    expect((await call('GET', '/api/v1/users?limit=1000', admin)).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/users?skip=1e20', admin)).statusCode).toBe(400);
  });

  it("hides another user's record from a customer as 404", async () => {
    const [alice, bob] = [await customer(), await customer()];
    expect((await call('GET', `/api/v1/users/${bob.id}`, alice.token)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/users/${bob.id}`, alice.token, { age: 40 })).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/users/${bob.id}`, alice.token)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/users/${bob.id}`, admin)).statusCode).toBe(200);
  });

  it('lets customers change their own profile but not their scopes or disabled flag', async () => {
    const alice = await customer();
    const ok = await call('PATCH', `/api/v1/users/${alice.id}`, alice.token, { age: 41 });
    expect(ok.json().age).toBe(41);
    const promoting = await call('PATCH', `/api/v1/users/${alice.id}`, alice.token, {
      scopes: ['users:write'],
    });
    expect(promoting.statusCode).toBe(403);
    expect(promoting.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(promoting.json()).toMatchObject({ status: 403, code: 'USER.FIELD_ADMIN_ONLY' });
    const disabling = await call('PATCH', `/api/v1/users/${alice.id}`, alice.token, { disabled: true });
    expect(disabling.statusCode).toBe(403);
    expect(disabling.json().code).toBe('USER.FIELD_ADMIN_ONLY');
    expect((await call('GET', '/api/v1/users/me', alice.token)).json()).toMatchObject({
      disabled: false,
      scopes: ['items:read', 'orders:read', 'orders:write'],
    });
  });

  it('lets users:write grant scopes, and validates them', async () => {
    const alice = await customer();
    const granted = await call('PATCH', `/api/v1/users/${alice.id}`, admin, {
      scopes: ['items:read', 'items:write'],
    });
    expect(granted.json().scopes).toEqual(['items:read', 'items:write']);
    expect((await call('PATCH', `/api/v1/users/${alice.id}`, admin, { scopes: ['root'] })).statusCode).toBe(
      400,
    );
  });

  it('refuses a bad id with 400 and an unknown one with 404', async () => {
    expect((await call('GET', '/api/v1/users/not-a-uuid', admin)).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/users/00000000-0000-4000-8000-000000000000', admin)).statusCode).toBe(
      404,
    );
  });

  it('deletes a user, after which they cannot log in', async () => {
    const alice = await customer();
    expect((await call('DELETE', `/api/v1/users/${alice.id}`, alice.token)).statusCode).toBe(204);
    await expect(login(users.app, alice.username, alice.password)).rejects.toThrow(/invalid_grant/);
  });

  it('publishes its public keys, and keeps old ones valid across a rotation', async () => {
    const before = (await users.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(before.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(before.keys[0].d).toBeUndefined();
    const alice = await customer();
    const { SigningKeysService } = await import('../src/auth/signing-keys.service');
    const newKid = await users.app.get(SigningKeysService).rotate();
    const after = (await users.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(after.keys.map((key: { kid: string }) => key.kid).sort()).toEqual(
      [before.keys[0].kid, newKid].sort(),
    );
    expect((await call('GET', '/api/v1/users/me', alice.token)).statusCode).toBe(200);
    const fresh = await login(users.app, alice.username, alice.password);
    expect(JSON.parse(Buffer.from(fresh.access_token.split('.')[0], 'base64url').toString()).kid).toBe(
      newKid,
    );
    expect((await call('GET', '/api/v1/users/me', fresh.access_token)).statusCode).toBe(200);
  });
});
