import {
  ADMIN,
  bearer,
  login,
  newUser,
  startUsersApp,
  tokenRequest,
  UsersApp,
} from './support/users-app.fixture';

describe('the OAuth2 token endpoint', () => {
  let users: UsersApp;
  let customer: ReturnType<typeof newUser>;
  beforeAll(async () => {
    users = await startUsersApp();
    customer = newUser();
    await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: customer });
  });
  afterAll(() => users.close());

  const token = (form: Record<string, string>) => tokenRequest(users.app, form);
  const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
  const header = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString());

  it('issues a short-lived EdDSA access token and a refresh token for the password grant', async () => {
    const res = await token({
      grant_type: 'password',
      username: customer.username,
      password: customer.password,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      scope: 'items:read orders:read orders:write',
    });
    expect(header(body.access_token)).toEqual({ alg: 'EdDSA', kid: expect.any(String), typ: 'at+jwt' });
    const claims = decode(body.access_token);
    expect(claims).toMatchObject({ iss: 'http://test.local', aud: 'shop', scope: body.scope });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(900);
    expect(claims.jti).toEqual(expect.any(String));
  });

  it('grants only the requested scopes the user holds, and refuses a request for none of them', async () => {
    const partial = await token({
      grant_type: 'password',
      username: customer.username,
      password: customer.password,
      scope: 'items:read users:write',
    });
    expect(partial.json().scope).toBe('items:read');
    const none = await token({
      grant_type: 'password',
      username: customer.username,
      password: customer.password,
      scope: 'users:write',
    });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toEqual({ error: 'invalid_scope', error_description: expect.any(String) });
  });

  it('gives the bootstrap admin every scope', async () => {
    const admin = await login(users.app, ADMIN.username, ADMIN.password);
    expect(admin.scope.split(' ').sort()).toEqual([
      'inventory:read',
      'inventory:write',
      'items:read',
      'items:write',
      'orders:all',
      'orders:read',
      'orders:write',
      'users:read',
      'users:write',
    ]);
  });

  it('answers a wrong password and an unknown user with the same invalid_grant', async () => {
    const wrong = await token({ grant_type: 'password', username: customer.username, password: 'Wrong1234' });
    const unknown = await token({ grant_type: 'password', username: 'nobody123', password: 'Wrong1234' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error).toBe('invalid_grant');
  });

  it('answers malformed requests with RFC 6749 errors, never problem+json', async () => {
    const missing = await token({ grant_type: 'password', username: customer.username });
    const unsupported = await token({ grant_type: 'client_credentials' });
    const noGrant = await token({});
    const tooLong = await token({
      grant_type: 'password',
      username: customer.username,
      password: 'x'.repeat(1025),
    });
    expect([missing, unsupported, noGrant, tooLong].map((res) => res.json().error)).toEqual([
      'invalid_request',
      'unsupported_grant_type',
      'invalid_request',
      'invalid_request',
    ]);
    expect(tooLong.json().error_description).toBe('The password parameter may be at most 1024 characters.');
    expect(missing.headers['content-type']).toContain('application/json');
  });

  it('rotates refresh tokens: each works once and the new one works again', async () => {
    const first = await login(users.app, customer.username, customer.password);
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(second.statusCode).toBe(200);
    expect(second.json().refresh_token).not.toBe(first.refresh_token);
    const third = await token({ grant_type: 'refresh_token', refresh_token: second.json().refresh_token });
    expect(third.statusCode).toBe(200);
  });

  it('revokes the whole family when a spent refresh token is reused', async () => {
    const first = await login(users.app, customer.username, customer.password);
    const rotated = (await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).json();
    const replay = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(replay.json().error).toBe('invalid_grant');
    // The attacker's replay also killed the legitimate holder's newer token.
    const legit = await token({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token });
    expect(legit.json().error).toBe('invalid_grant');
    // Another login is another family and still works.
    expect((await login(users.app, customer.username, customer.password)).access_token).toBeDefined();
  });

  it('answers two concurrent refreshes of one token as reuse: one wins, and the family is revoked', async () => {
    // Several races, so that some losers meet the token unspent and lose at the conditional UPDATE.
    for (let race = 0; race < 5; race++) {
      const first = await login(users.app, customer.username, customer.password);
      const results = await Promise.all(
        [1, 2].map(() => token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })),
      );
      expect(results.map((res) => res.statusCode).sort()).toEqual([200, 400]);
      const [winner] = results.filter((res) => res.statusCode === 200);
      const [loser] = results.filter((res) => res.statusCode === 400);
      expect(loser.json().error).toBe('invalid_grant');
      // RFC 9700 §4.14.2: the replay revoked the family, the winner's new refresh token included.
      const after = await token({ grant_type: 'refresh_token', refresh_token: winner.json().refresh_token });
      expect(after.json().error).toBe('invalid_grant');
    }
  });

  it('never widens scopes on refresh', async () => {
    const narrow = await login(users.app, customer.username, customer.password, 'items:read');
    const widened = await token({
      grant_type: 'refresh_token',
      refresh_token: narrow.refresh_token,
      scope: 'orders:write',
    });
    expect(widened.json().error).toBe('invalid_scope');
  });

  it('revokes a refresh token per RFC 7009, and answers 200 for an unknown one', async () => {
    const session = await login(users.app, customer.username, customer.password);
    const revoked = await tokenRequest(users.app, { token: session.refresh_token }, '/auth/revoke');
    expect(revoked.statusCode).toBe(200);
    expect(
      (await token({ grant_type: 'refresh_token', refresh_token: session.refresh_token })).json().error,
    ).toBe('invalid_grant');
    expect((await tokenRequest(users.app, { token: 'no-such-token' }, '/auth/revoke')).statusCode).toBe(200);
  });

  it('gives a disabled user no token and no refresh', async () => {
    const victim = newUser();
    const created = (
      await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: victim })
    ).json();
    const session = await login(users.app, victim.username, victim.password);
    const admin = await login(users.app, ADMIN.username, ADMIN.password);
    const disable = await users.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${created.id}`,
      headers: bearer(admin.access_token),
      payload: { disabled: true },
    });
    expect(disable.json().disabled).toBe(true);
    expect(
      (await token({ grant_type: 'password', username: victim.username, password: victim.password })).json()
        .error,
    ).toBe('invalid_grant');
    expect(
      (await token({ grant_type: 'refresh_token', refresh_token: session.refresh_token })).json().error,
    ).toBe('invalid_grant');
  });
});
