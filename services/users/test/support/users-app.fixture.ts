import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createServiceApp, createTestDatabase, serviceOptions, TestDatabase } from '@shop/shared/testing';
import { AppModule } from '../../src/app.module';
import { migrations } from '../../src/migrations';
import { loadUsersConfig, type UsersConfig } from '../../src/users.config';

export const ADMIN = { username: 'rootadmin', password: 'Admin123secret' };

export interface UsersApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  config: UsersConfig;
  close(): Promise<void>;
}

/** The users service on its own throw-away database, connected as the real `users_svc` role. */
export async function startUsersApp(env: Record<string, string> = {}): Promise<UsersApp> {
  const db = await createTestDatabase({ services: [{ schema: 'users', migrations }] });
  const config = loadUsersConfig({
    DATABASE_URL: db.runtimeUrl('users'),
    LOG_LEVEL: 'silent',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    JWT_ISSUER: 'http://test.local',
    JWT_AUDIENCE: 'shop',
    // No broker: events stay in the outbox, where the tests read them (the bus has its own suites).
    RABBITMQ_URL: 'amqp://users_svc:none@127.0.0.1:1',
    // A system of its own in Redis: its deny-list is `test:<run>:denied-users`.
    REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:users:`,
    ...env,
  });
  const app = await createServiceApp(AppModule.forRoot(config), serviceOptions('users', config));
  return {
    app,
    db,
    config,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

let counter = 0;
/** A valid registration body with a username and email unique to this run. */
export function newUser(overrides: Record<string, unknown> = {}) {
  const id = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { username: `u${id}`, email: `u${id}@example.com`, password: 'Passw0rdX', age: 30, ...overrides };
}

/** Asks the token endpoint with a form body, as OAuth2 clients do. */
export function tokenRequest(app: NestFastifyApplication, form: Record<string, string>, url = '/auth/token') {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

export async function login(app: NestFastifyApplication, username: string, password: string, scope?: string) {
  const res = await tokenRequest(app, {
    grant_type: 'password',
    username,
    password,
    ...(scope ? { scope } : {}),
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json() as { access_token: string; refresh_token: string; scope: string; expires_in: number };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The events the users service has written to its outbox, oldest first. */
export async function outboxEvents(db: TestDatabase): Promise<
  Array<{
    type: string;
    payload: { aggregateId: string; aggregateVersion: number; data: Record<string, unknown> };
  }>
> {
  const client = new Client({ connectionString: db.adminUrl });
  await client.connect();
  try {
    return (await client.query('SELECT type, payload FROM users.outbox ORDER BY created_at')).rows;
  } finally {
    await client.end();
  }
}
