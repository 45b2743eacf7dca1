import { Controller, Get } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { AuthModule } from '../src/auth/auth.module';
import { DeniedUsersStore, deniedUsersRedis, systemKeyPrefixOf } from '../src/auth/denied-users.store';
import { configModule } from '../src/config/config.module';
import { jwksUrlOf } from '../src/config/env-fields.config';
import { ProblemFilter } from '../src/errors';
import { eventually, startTestTokenIssuer, type TestTokenIssuer } from '../src/testing';

const REDIS_URL = 'redis://127.0.0.1:6379';
const nowSec = () => Math.floor(Date.now() / 1000);

@Controller('orders')
class OrdersController {
  @Get()
  list() {
    return [];
  }
}

describe('the shared deny-list', () => {
  // One test system of its own in Redis: `test:<run>:denied-users`.
  const system = `test:${randomBytes(6).toString('hex')}`;
  const stores: DeniedUsersStore[] = [];
  /** A process's store, once its connection is up (unless `url` leads nowhere). */
  const storeOf = async (process: string, url = REDIS_URL) => {
    const redis = deniedUsersRedis({ REDIS_URL: url, REDIS_KEY_PREFIX: `${system}:${process}:` });
    const store = new DeniedUsersStore(redis);
    stores.push(store);
    if (url === REDIS_URL) await eventually(() => redis.status === 'ready');
    return store;
  };
  afterAll(() => stores.forEach((store) => store.onApplicationShutdown()));

  it('keeps what every process shares under the system part of the prefix', () => {
    expect(systemKeyPrefixOf('shop:items:')).toBe('shop:');
    expect(systemKeyPrefixOf('security:gateway:')).toBe('security:');
    expect(systemKeyPrefixOf('test:3f9a:users:')).toBe('test:3f9a:');
    expect(systemKeyPrefixOf('bench:')).toBe('bench:');
    expect(systemKeyPrefixOf(undefined)).toBe('shop:');
  });

  it("shares a denial with the system's other processes, and refuses only tokens issued before it", async () => {
    const users = await storeOf('users');
    const orders = await storeOf('orders');
    const sub = randomUUID();
    await users.deny(sub, new Date());
    expect(orders.isRevoked({ sub, iat: nowSec() } as never)).toBe(false);
    await orders.sync();
    expect(orders.isRevoked({ sub, iat: nowSec() - 60 } as never)).toBe(true);
    expect(orders.isRevoked({ sub, iat: nowSec() + 5 } as never)).toBe(false);
    expect(orders.isRevoked({ sub: randomUUID(), iat: nowSec() - 60 } as never)).toBe(false);
  });

  it('keeps its own denials while Redis is away', async () => {
    const cut = await storeOf('gateway', 'redis://127.0.0.1:1');
    const sub = randomUUID();
    await cut.deny(sub, new Date());
    await cut.sync();
    expect(cut.isRevoked({ sub, iat: nowSec() - 1 } as never)).toBe(true);
  });

  it('shares a denial recorded while Redis was away once a sync reaches it', async () => {
    const redis = deniedUsersRedis({ REDIS_URL, REDIS_KEY_PREFIX: `${system}:users:` });
    const late = new DeniedUsersStore(redis);
    stores.push(late);
    const sub = randomUUID();
    // Not connected yet: the write fails at once (no offline queue) and stays pending.
    await late.deny(sub, new Date());
    await eventually(() => redis.status === 'ready');
    await late.sync();
    const other = await storeOf('inventory');
    await other.sync();
    expect(other.isRevoked({ sub, iat: nowSec() - 1 } as never)).toBe(true);
  });

  it('forgets denials older than any access token can be', async () => {
    const users = await storeOf('users');
    const items = await storeOf('items');
    const sub = randomUUID();
    await users.deny(sub, new Date(Date.now() - 16 * 60_000));
    await Promise.all([users.sync(), items.sync()]);
    expect(items.isRevoked({ sub, iat: nowSec() - 17 * 60 } as never)).toBe(false);
    expect(users.isRevoked({ sub, iat: nowSec() - 17 * 60 } as never)).toBe(false);
  });

  describe("in a service's verifier (AuthModule with the service's config)", () => {
    let issuer: TestTokenIssuer;
    let app: NestFastifyApplication;
    beforeAll(async () => {
      issuer = await startTestTokenIssuer();
      const config = { REDIS_URL, REDIS_KEY_PREFIX: `${system}:orders:`, USERS_URL: issuer.usersUrl };
      const moduleRef = await Test.createTestingModule({
        imports: [
          configModule(Symbol('ORDERS_CONFIG'), config),
          AuthModule.forRoot({
            jwksUrl: jwksUrlOf(config),
            issuer: issuer.issuer,
            audience: issuer.audience,
          }),
        ],
        controllers: [OrdersController],
      }).compile();
      app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
      app.useGlobalFilters(new ProblemFilter());
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
    });
    afterAll(async () => {
      await app?.close();
      await issuer?.close();
    });

    it("refuses a token within a sync of the users service's denial, cached or not", async () => {
      const sub = randomUUID();
      const token = await issuer.token(['orders:read'], sub);
      const get = () =>
        app.inject({ method: 'GET', url: '/orders', headers: { authorization: `Bearer ${token}` } });
      expect((await get()).statusCode).toBe(200);
      const denied = Date.now();
      await (await storeOf('users')).deny(sub, new Date());
      const refused = await eventually(async () => ((await get()).statusCode === 401 ? Date.now() : 0), {
        timeoutMs: 5_000,
        everyMs: 50,
      });
      expect(refused - denied).toBeLessThan(3_000);
      expect((await get()).headers['www-authenticate']).toContain('error_description="revoked"');
    });
  });
});
