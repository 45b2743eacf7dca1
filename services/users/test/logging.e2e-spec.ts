import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, createTestDatabase, TestDatabase } from '@shop/shared/testing';
import { AppModule } from '../src/app.module';
import { migrations } from '../src/migrations';
import { loadUsersConfig } from '../src/users.config';
import { eventually } from '@shop/shared/testing';
import { bearer, login, newUser, tokenRequest } from './support/users-app.fixture';

describe('logging', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ services: [{ schema: 'users', migrations }] });
    const config = loadUsersConfig({ DATABASE_URL: db.runtimeUrl('users') });
    const logStream = { write: (line: string) => void lines.push(line) };
    app = await createServiceApp(AppModule.forRoot(config), {
      name: 'users',
      port: 0,
      logLevel: 'trace',
      logStream,
    });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('never writes a password or a token to the logs, and tags request lines with the request id', async () => {
    const body = newUser({ password: 'Sup3rSecretPass' });
    await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: body,
      headers: { 'x-request-id': 'reg-1' },
    });
    const login = await tokenRequest(app, {
      grant_type: 'password',
      username: body.username,
      password: body.password,
    });
    await app.inject({
      method: 'GET',
      url: '/api/v1/users/me',
      headers: { authorization: `Bearer ${login.json().access_token}` },
    });

    const output = lines.join('');
    expect(output).toContain('"requestId":"reg-1"');
    expect(output).not.toContain('Sup3rSecretPass');
    expect(output).not.toContain(login.json().access_token);
    expect(output).not.toContain(login.json().refresh_token);
  });

  it('audits a change to an account after its response, with the outcome the client got', async () => {
    const body = newUser();
    const registered = await app.inject({ method: 'POST', url: '/api/v1/users', payload: body });
    const { id } = registered.json();
    const { access_token } = await login(app, body.username, body.password);
    const audited = () =>
      lines.map((line) => JSON.parse(line)).filter((line) => line.audit && line.actor === id);

    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: bearer(access_token),
      payload: { email: `new-${body.email}` },
    });
    expect(changed.statusCode).toBe(200);
    const stranger = '00000000-0000-4000-8000-000000000000';
    const refused = await app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${stranger}`,
      headers: bearer(access_token),
    });
    expect(refused.statusCode).toBe(404);

    // The status is the one sent, so the task ran after the response: before it, a reply still says 200.
    const auditLines = await eventually(() => audited().length === 2 && audited());
    expect(auditLines.map(({ audit, target, status }) => ({ audit, target, status }))).toEqual([
      { audit: 'user.update', target: id, status: 200 },
      { audit: 'user.delete', target: stranger, status: 404 },
    ]);
  });
});
