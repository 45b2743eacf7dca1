import { createServer, type AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootstrapService } from '@shop/shared';
import { createTestDatabase, TestDatabase } from '@shop/shared/testing';
import { PinoLogger } from 'nestjs-pino';
import { AppModule } from '../src/app.module';
import { migrations } from '../src/migrations';
import { usersEnv } from '../src/users.config';
import { newUser } from './support/users-app.fixture';

/** A registration of about 8 KiB: over a 4 KiB limit, and a 400 (an unknown field) under any other. */
const OVERSIZED = newUser({ padding: 'x'.repeat(8 * 1024) });

// nestjs-pino keeps one root logger per process, made by the first app: this
// file starts only the one app whose log level it checks.
describe('the users service, started as main.ts starts it', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    [db, port] = await Promise.all([
      createTestDatabase({ services: [{ schema: 'users', migrations }] }),
      freePort(),
    ]);
    // Every value differs from its default, so each one seen below came from here.
    app = await bootstrapService(
      { name: 'users', env: usersEnv, module: (config) => AppModule.forRoot(config) },
      {
        DATABASE_URL: db.runtimeUrl('users'),
        RABBITMQ_URL: 'amqp://users_svc:none@127.0.0.1:1',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'fatal',
        BODY_LIMIT_BYTES: '4096',
      },
    );
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('listens on HOST and PORT and logs at LOG_LEVEL', async () => {
    expect(app.getHttpServer().address()).toMatchObject({ address: '127.0.0.1', port });
    expect(PinoLogger.root.level).toBe('fatal');
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(live.status).toBe(200);
  });

  it('holds BODY_LIMIT_BYTES over the network too', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OVERSIZED),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

/** A port nothing listens on right now, to give as PORT. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
