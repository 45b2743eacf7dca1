import { eventually } from '@shop/shared/testing';
import { Client } from 'pg';
import {
  ADMIN,
  bearer,
  login,
  newUser,
  outboxEvents,
  startUsersApp,
  UsersApp,
} from './support/users-app.fixture';

describe('users events and background tasks', () => {
  let users: UsersApp;
  let admin: string;
  beforeAll(async () => {
    users = await startUsersApp();
    admin = (await login(users.app, ADMIN.username, ADMIN.password)).access_token;
  });
  afterAll(() => users.close());

  const eventsFor = async (userId: string) =>
    (await outboxEvents(users.db)).filter((event) => event.payload.aggregateId === userId);

  /** Runs SQL as the database's owner, which the service's own role may not. */
  const asAdmin = async <T>(run: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: users.db.adminUrl });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };

  it('writes user.registered with the user', async () => {
    const body = newUser();
    const user = (await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: body })).json();
    const [event] = await eventsFor(user.id);
    expect(event.type).toBe('user.registered');
    expect(event.payload.data).toEqual({ userId: user.id, username: body.username, email: body.email });
  });

  it('writes user.registered in the same transaction as the user: no event, no user', async () => {
    const body = newUser();
    // The outbox refuses this one registration's event, as a full disk or a lost connection would.
    await asAdmin((client) =>
      client.query(`
        CREATE FUNCTION users.refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.payload->'data'->>'username' = '${body.username}' THEN
            RAISE EXCEPTION 'outbox write refused by the test';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_event BEFORE INSERT ON users.outbox
          FOR EACH ROW EXECUTE FUNCTION users.refuse_event();`),
    );
    try {
      const res = await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: body });
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      await asAdmin((client) =>
        client.query(`DROP TRIGGER refuse_event ON users.outbox; DROP FUNCTION users.refuse_event();`),
      );
    }
    const left = await asAdmin((client) =>
      client.query(`SELECT id FROM users.users WHERE username = $1`, [body.username]),
    );
    expect(left.rows).toEqual([]);
  });

  it('writes no event for a refused registration', async () => {
    const before = (await outboxEvents(users.db)).length;
    const taken = newUser();
    await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: taken });
    await users.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { ...newUser(), username: taken.username },
    });
    expect((await outboxEvents(users.db)).length).toBe(before + 1);
  });

  it('writes user.disabled once when a user is disabled, with a newer version', async () => {
    const user = (
      await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: newUser() })
    ).json();
    for (let i = 0; i < 2; i++) {
      await users.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: bearer(admin),
        payload: { disabled: true },
      });
    }
    const events = await eventsFor(user.id);
    expect(events.map((event) => event.type)).toEqual(['user.registered', 'user.disabled']);
    expect(events[1].payload.aggregateVersion).toBeGreaterThan(events[0].payload.aggregateVersion);
  });

  it('writes user.deleted when a user is deleted', async () => {
    const user = (
      await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: newUser() })
    ).json();
    await users.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}`, headers: bearer(admin) });
    expect((await eventsFor(user.id)).map((event) => event.type)).toEqual([
      'user.registered',
      'user.deleted',
    ]);
  });

  it('records the welcome notification after the response, in the background', async () => {
    const user = (
      await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: newUser() })
    ).json();
    const rows = await asAdmin((client) =>
      eventually(async () => {
        const { rows } = await client.query(`SELECT kind FROM users.notifications WHERE user_id = $1`, [
          user.id,
        ]);
        return rows.length > 0 && rows;
      }),
    );
    expect(rows).toEqual([{ kind: 'welcome' }]);
  });
});
