import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { REDIS } from '@shop/shared';
import type { Redis } from 'ioredis';
import { AppModule } from '../../src/app.module';
import { loadItemsConfig } from '../../src/items.config';
import { migrations } from '../../src/migrations';
import {
  createServiceApp,
  createTestDatabase,
  serviceOptions,
  startTestTokenIssuer,
  TestDatabase,
  TestTokenIssuer,
} from '@shop/shared/testing';

export interface ItemsApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  tokens: TestTokenIssuer;
  /** The app's own Redis client; its key prefix is unique to this test file. */
  redis: Redis;
  /** Another instance of the service on the same database and tokens, with other settings. */
  startReplica(env: Record<string, string>): Promise<NestFastifyApplication>;
  close(): Promise<void>;
}

/**
 * The items service on its own throw-away database, connected as the real
 * `items_svc` role, with the real Redis under a key prefix no other run
 * shares, and tokens from a local stand-in for the users service.
 */
export async function startItemsApp(env: Record<string, string> = {}): Promise<ItemsApp> {
  const [db, tokens] = await Promise.all([
    createTestDatabase({ services: [{ schema: 'items', migrations }] }),
    startTestTokenIssuer(),
  ]);
  const baseEnv = {
    DATABASE_URL: db.runtimeUrl('items'),
    LOG_LEVEL: 'silent',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    // No broker: events stay in the outbox, where the tests read them (the bus has its own suites).
    RABBITMQ_URL: 'amqp://items_svc:none@127.0.0.1:1',
    REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:items:`,
    USERS_URL: tokens.usersUrl,
    JWT_ISSUER: tokens.issuer,
    JWT_AUDIENCE: tokens.audience,
  };
  const apps: NestFastifyApplication[] = [];
  const start = async (overrides: Record<string, string>) => {
    const config = loadItemsConfig({ ...baseEnv, ...overrides });
    const app = await createServiceApp(AppModule.forRoot(config), serviceOptions('items', config));
    apps.push(app);
    return app;
  };
  const app = await start(env);
  const redis = app.get<Redis>(REDIS);
  await waitUntilReady(redis);

  return {
    app,
    db,
    tokens,
    redis,
    startReplica: start,
    close: async () => {
      // ioredis prefixes keys but not KEYS patterns, and DEL prefixes again what KEYS returns in full.
      const prefix = baseEnv.REDIS_KEY_PREFIX;
      const keys = await redis.keys(`${prefix}*`).catch(() => []);
      if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
      await Promise.all(apps.map((each) => each.close()));
      await Promise.all([db.drop(), tokens.close()]);
    },
  };
}

/** The first request must not race the client's connection, or it would miss the cache. */
function waitUntilReady(redis: Redis): Promise<void> {
  return redis.status === 'ready'
    ? Promise.resolve()
    : new Promise((resolve) => redis.once('ready', () => resolve()));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
