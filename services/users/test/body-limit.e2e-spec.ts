import { newUser, startUsersApp, type UsersApp } from './support/users-app.fixture';

describe('the body limit', () => {
  let users: UsersApp;
  beforeAll(async () => {
    users = await startUsersApp({ BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => users.close());

  it('refuses a body over BODY_LIMIT_BYTES with a 413 problem, before validating it', async () => {
    // About 8 KiB; under a bigger limit, its unknown field makes it a 400.
    const oversized = newUser({ padding: 'x'.repeat(8 * 1024) });
    const res = await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: oversized });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 413 });
  });

  it('takes a registration under the limit', async () => {
    const res = await users.app.inject({ method: 'POST', url: '/api/v1/users', payload: newUser() });
    expect(res.statusCode).toBe(201);
  });
});
