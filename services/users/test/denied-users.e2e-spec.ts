import { DeniedUsersStore, deniedUsersRedis } from '@shop/shared';
import { ADMIN, bearer, login, newUser, startUsersApp, UsersApp } from './support/users-app.fixture';

// The users service writes the shared deny-list itself, right after the commit,
// so every service refuses a disabled or deleted user's access tokens with no
// gateway (and no broker) in between: none runs here.
describe('the deny-list of disabled and deleted users', () => {
  let users: UsersApp;
  let admin: string;
  /** Another service of the same system, as its verifier sees the list. */
  let orders: DeniedUsersStore;
  /** A service of another system (another test run). */
  let stranger: DeniedUsersStore;
  beforeAll(async () => {
    users = await startUsersApp();
    admin = (await login(users.app, ADMIN.username, ADMIN.password)).access_token;
    const { REDIS_URL, REDIS_KEY_PREFIX = '' } = users.config;
    orders = new DeniedUsersStore(
      deniedUsersRedis({ REDIS_URL, REDIS_KEY_PREFIX: REDIS_KEY_PREFIX.replace(/users:$/, 'orders:') }),
    );
    stranger = new DeniedUsersStore(
      deniedUsersRedis({ REDIS_URL, REDIS_KEY_PREFIX: 'test:elsewhere:orders:' }),
    );
  });
  afterAll(async () => {
    orders.onApplicationShutdown();
    stranger.onApplicationShutdown();
    await users.close();
  });

  const signUp = async () => {
    const body = newUser();
    const { id } = (await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: body })).json();
    const { access_token: token } = await login(users.app, body.username, body.password);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    return { id, token, claims };
  };
  const me = (token: string) =>
    users.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(token) });

  it("refuses a disabled user's still-valid token at once, and shares the denial with the system", async () => {
    const user = await signUp();
    expect((await me(user.token)).statusCode).toBe(200);
    const disabled = await users.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: bearer(admin),
      payload: { disabled: true },
    });
    expect(disabled.statusCode).toBe(200);
    const refused = await me(user.token);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('error_description="revoked"');

    await Promise.all([orders.sync(), stranger.sync()]);
    expect(orders.isRevoked(user.claims)).toBe(true);
    expect(stranger.isRevoked(user.claims)).toBe(false);
  });

  it("refuses a deleted user's still-valid token, here and in the other services", async () => {
    const user = await signUp();
    const deleted = await users.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${user.id}`,
      headers: bearer(admin),
    });
    expect(deleted.statusCode).toBe(204);
    expect((await me(user.token)).statusCode).toBe(401);
    await orders.sync();
    expect(orders.isRevoked(user.claims)).toBe(true);
  });

  it('lets a user enabled again in with a token issued after the denial', async () => {
    const user = await signUp();
    const patch = (disabled: boolean) =>
      users.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: bearer(admin),
        payload: { disabled },
      });
    await patch(true);
    await patch(false);
    await orders.sync();
    expect(orders.isRevoked(user.claims)).toBe(true);
    // Tokens carry whole seconds: a token of the next second is newer than the denial.
    const issuedLater = { ...user.claims, iat: user.claims.iat + 2 };
    expect(orders.isRevoked(issuedLater)).toBe(false);
  });
});
