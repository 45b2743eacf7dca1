import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, createTestDatabase, TestDatabase } from '@shop/shared/testing';
import { AppModule } from '../src/app.module';
import { migrations } from '../src/migrations';
import { loadUsersConfig } from '../src/users.config';
import { newUser, tokenRequest } from './support/users-app.fixture';

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
});
