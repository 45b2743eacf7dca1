import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, createTestDatabase, TestDatabase } from '@shop/shared/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { migrations } from '../src/migrations';
import { loadUsersConfig } from '../src/users.config';
import { tokenRequest } from './support/users-app.fixture';

const USERNAME = 'firstadmin';
const FIRST_PASSWORD = 'First-Passw0rd';
const OTHER_PASSWORD = 'Other-Passw0rd';
const RESET_COMMAND = join(__dirname, '..', 'dist', 'reset-admin-password.js');

interface LogLine {
  level: number;
  context?: string;
  msg: string;
}

describe('the bootstrap admin', () => {
  let db: TestDatabase;
  const running: NestFastifyApplication[] = [];

  // nestjs-pino keeps one root logger per process, on the stream of the first
  // app: every app of this file writes to this one sink.
  const lines: string[] = [];
  const logStream = { write: (line: string) => void lines.push(line) };

  /**
   * (Re)starts the users service with ADMIN_PASSWORD = `password`; returns it
   * and the log lines written since. One at a time, as on a real restart.
   */
  async function start(password: string): Promise<{ app: NestFastifyApplication; logs: () => LogLine[] }> {
    await Promise.all(running.splice(0).map((app) => app.close()));
    const from = lines.length;
    const config = loadUsersConfig({
      DATABASE_URL: db.runtimeUrl('users'),
      ADMIN_USERNAME: USERNAME,
      ADMIN_PASSWORD: password,
      RABBITMQ_URL: 'amqp://users_svc:none@127.0.0.1:1',
    });
    const app = await createServiceApp(AppModule.forRoot(config), {
      name: 'users',
      port: 0,
      logLevel: 'info',
      logStream,
    });
    running.push(app);
    return { app, logs: () => lines.slice(from).map((line) => JSON.parse(line) as LogLine) };
  }

  const logIn = (app: NestFastifyApplication, password: string) =>
    tokenRequest(app, { grant_type: 'password', username: USERNAME, password });

  /** `node dist/reset-admin-password.js` with the service's environment. */
  const reset = (env: Record<string, string>) =>
    spawnSync(process.execPath, [RESET_COMMAND], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DATABASE_URL: db.runtimeUrl('users'), ...env },
    });

  beforeEach(async () => {
    db = await createTestDatabase({ services: [{ schema: 'users', migrations }] });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
    await db.drop();
  });

  it('is created once; a later start with the same password keeps it and says so', async () => {
    const first = await start(FIRST_PASSWORD);
    expect(first.logs().map((line) => line.msg)).toContain(
      `Created the bootstrap admin "${USERNAME}" with every scope`,
    );
    const second = await start(FIRST_PASSWORD);
    expect(second.logs()).toContainEqual(
      expect.objectContaining({
        level: 30,
        msg: `The bootstrap admin "${USERNAME}" exists and was kept as it is`,
      }),
    );
    expect((await logIn(second.app, FIRST_PASSWORD)).statusCode).toBe(200);
  });

  it('started with another ADMIN_PASSWORD, is kept as it was, with a warning naming the reset command', async () => {
    await start(FIRST_PASSWORD);
    const second = await start(OTHER_PASSWORD);

    const fromBootstrap = second.logs().filter((line) => line.context === 'AdminBootstrapService');
    expect(fromBootstrap).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(
          /"firstadmin" exists with a password other than ADMIN_PASSWORD and was kept .* node dist\/reset-admin-password\.js/,
        ),
      }),
    ]);
    expect(JSON.stringify(second.logs())).not.toContain(OTHER_PASSWORD);
    expect((await logIn(second.app, OTHER_PASSWORD)).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await logIn(second.app, FIRST_PASSWORD)).statusCode).toBe(200);
  });

  it('gets ADMIN_PASSWORD from reset-admin-password, which also revokes its refresh tokens', async () => {
    const { app } = await start(FIRST_PASSWORD);
    const before = (await logIn(app, FIRST_PASSWORD)).json() as { refresh_token: string };

    const result = reset({ ADMIN_USERNAME: USERNAME, ADMIN_PASSWORD: OTHER_PASSWORD });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toBe(
      `"${USERNAME}" now logs in with ADMIN_PASSWORD; its refresh tokens are revoked.\n`,
    );

    expect((await logIn(app, OTHER_PASSWORD)).statusCode).toBe(200);
    expect((await logIn(app, FIRST_PASSWORD)).json()).toMatchObject({ error: 'invalid_grant' });
    const refreshed = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: before.refresh_token,
    });
    expect(refreshed.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('is not invented by reset-admin-password, which says what to do instead', async () => {
    const unknown = reset({ ADMIN_USERNAME: 'nosuchadmin', ADMIN_PASSWORD: OTHER_PASSWORD });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('There is no user "nosuchadmin": the users service creates it');

    const unset = reset({ ADMIN_USERNAME: USERNAME });
    expect(unset.status).toBe(1);
    expect(unset.stderr).toContain('Set ADMIN_USERNAME and ADMIN_PASSWORD');
  });
});
