import {
  ADMIN,
  bearer,
  login,
  newUser,
  outboxEvents,
  startUsersApp,
  UsersApp,
} from './support/users-app.fixture';

const MESSAGE = 'The shop closes for maintenance at 22:00 UTC.';

describe('announcements', () => {
  let users: UsersApp;
  let admin: string;
  beforeAll(async () => {
    users = await startUsersApp();
    admin = (await login(users.app, ADMIN.username, ADMIN.password)).access_token;
  });
  afterAll(() => users.close());

  const announce = (payload: unknown, token?: string) =>
    users.app.inject({
      method: 'POST',
      url: '/api/v1/announcements',
      headers: token ? bearer(token) : {},
      payload: payload as object,
    });
  const announcementsInOutbox = async () =>
    (await outboxEvents(users.db)).filter((event) => event.type === 'announcement.published');

  it('accepts an admin’s announcement with 202 and writes announcement.published to the outbox', async () => {
    const res = await announce({ message: MESSAGE }, admin);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toEqual({ id: expect.any(String), message: MESSAGE, publishedAt: expect.any(String) });
    expect(Math.abs(Date.parse(body.publishedAt) - Date.now())).toBeLessThan(10_000);

    const event = (await announcementsInOutbox()).find((row) => row.payload.aggregateId === body.id);
    expect(event?.payload).toMatchObject({
      aggregateVersion: 1,
      source: 'users',
      data: { message: MESSAGE, publishedAt: body.publishedAt },
    });
  });

  it('refuses without a token (401), and with a token that lacks users:write (403), writing nothing', async () => {
    const before = (await announcementsInOutbox()).length;
    const body = newUser();
    await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: body });
    const customer = (await login(users.app, body.username, body.password)).access_token;
    // The admin, signed in for reading only: the scope is the token's, not the person's.
    const readOnlyAdmin = (await login(users.app, ADMIN.username, ADMIN.password, 'users:read')).access_token;

    expect((await announce({ message: MESSAGE })).statusCode).toBe(401);
    for (const token of [customer, readOnlyAdmin]) {
      const res = await announce({ message: MESSAGE }, token);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['www-authenticate']).toContain('users:write');
    }
    expect(await announcementsInOutbox()).toHaveLength(before);
  });

  it('takes a message of 1 to 500 characters, as the event contract does, and refuses anything else with 400', async () => {
    expect((await announce({ message: 'x' }, admin)).statusCode).toBe(202);
    expect((await announce({ message: 'é'.repeat(500) }, admin)).statusCode).toBe(202);
    const before = (await announcementsInOutbox()).length;
    for (const payload of [
      {},
      { message: '' },
      { message: 'x'.repeat(501) },
      { message: 42 },
      { message: MESSAGE, publishedAt: '2020-01-01T00:00:00Z' },
    ]) {
      const res = await announce(payload, admin);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await announcementsInOutbox()).toHaveLength(before);
  });
});
