import { newUser, startUsersApp, UsersApp } from './support/users-app.fixture';

describe('registration', () => {
  let users: UsersApp;
  beforeAll(async () => (users = await startUsersApp()));
  afterAll(() => users.close());

  const register = (body: unknown) =>
    users.app.inject({ method: 'POST', url: '/api/v1/users', payload: body as object });

  it('creates a customer with the default scopes and never returns the password', async () => {
    const body = newUser();
    const res = await register(body);
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: body.username,
      email: body.email,
      age: 30,
      scopes: ['items:read', 'orders:read', 'orders:write'],
      disabled: false,
      createdAt: expect.any(String),
    });
    expect(res.body).not.toContain(body.password);
    expect(res.body).not.toContain('argon2');
  });

  it.each([
    ['username', { username: 'ab' }],
    ['username', { username: 'a'.repeat(51) }],
    ['username', { username: 'bad name!' }],
    ['email', { email: 'not-an-email' }],
    ['password', { password: 'Short1A' }],
    ['password', { password: 'nodigitsHERE' }],
    ['password', { password: 'nouppercase1' }],
    ['age', { age: -1 }],
    ['age', { age: 151 }],
    ['age', { age: 'old' }],
  ])('refuses an invalid %s (%j) with 400 naming the field', async (field, override) => {
    const res = await register(newUser(override));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it.each([
    ['scopes', ['users:write']],
    ['disabled', true],
    ['id', '00000000-0000-4000-8000-000000000000'],
  ])('refuses a customer setting %s instead of ignoring it', async (field, value) => {
    const body = newUser({ [field]: value });
    const res = await register(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field })]);
    // Nothing was created: the same username registers cleanly without the extra field.
    const { [field]: _dropped, ...clean } = body;
    expect((await register(clean)).statusCode).toBe(201);
  });

  it('refuses a duplicate username, whatever its case, and a duplicate email with 409', async () => {
    const body = newUser();
    expect((await register(body)).statusCode).toBe(201);
    const sameName = await register(newUser({ username: body.username.toUpperCase() }));
    const sameEmail = await register(newUser({ email: body.email }));
    expect([sameName.statusCode, sameEmail.statusCode]).toEqual([409, 409]);
    expect(sameName.json()).toMatchObject({ code: 'USER.ALREADY_EXISTS' });
  });
});
