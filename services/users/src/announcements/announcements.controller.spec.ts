import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { OutboxService, type AuthenticatedUser } from '@shop/shared';
import { createTestDatabase, JwtAuthGuard, type TestDatabase } from '@shop/shared/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { AnnouncementsController } from './announcements.controller';
import { AnnouncementsService } from './announcements.service';
import { ClockService } from './clock.service';

const PUBLISHED_AT = new Date('2026-12-01T21:00:00.000Z');

/** Lets `user` through as the caller, as JwtAuthGuard does once it has checked a token and its scopes. */
const letThrough = (user: AuthenticatedUser): CanActivate => ({
  canActivate: (context: ExecutionContext) => {
    context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user = user;
    return true;
  },
});

// The controller with its real service, outbox and Postgres; only the guard
// and the clock are swapped, the guide's `dependency_overrides` in Nest's words.
describe('AnnouncementsController', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase({ services: [{ schema: 'users', migrations }] });
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.runtimeUrl('users'),
      schema: 'users',
    }).initialize();
    const moduleRef = await Test.createTestingModule({
      controllers: [AnnouncementsController],
      providers: [
        AnnouncementsService,
        ClockService,
        { provide: DataSource, useValue: dataSource },
        { provide: OutboxService, useValue: new OutboxService({ service: 'users' }) },
        // AuthModule registers the guard with `useClass`, under a generated token no override
        // reaches, and `overrideGuard` swaps only guards bound with @UseGuards (it leaves this
        // provider alone: the real guard then fails to build without its verifier). An alias
        // of the class is what a test can swap, with overrideProvider.
        JwtAuthGuard,
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
      ],
    })
      .overrideProvider(JwtAuthGuard)
      .useValue(letThrough({ id: randomUUID(), scopes: ['users:write'], token: 'not checked here' }))
      .overrideProvider(ClockService)
      .useValue({ now: () => PUBLISHED_AT })
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('answers 202 with the announcement, stamped by the clock', async () => {
    // No Authorization header: the real guard would answer 401; the chosen user is let through.
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/announcements',
      payload: { message: 'Back at 22:00' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      id: expect.any(String),
      message: 'Back at 22:00',
      publishedAt: PUBLISHED_AT.toISOString(),
    });
  });

  it('writes the event the response describes to the users outbox, and nothing else', async () => {
    const before: { count: string }[] = await dataSource.query('SELECT count(*) FROM users.outbox');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/announcements',
      payload: { message: 'Hi' },
    });
    const { id } = res.json() as { id: string };

    const rows: { type: string; payload: Record<string, unknown> }[] = await dataSource.query(
      `SELECT type, payload FROM users.outbox WHERE payload->>'aggregateId' = $1`,
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].type).toBe('announcement.published');
    expect(rows[0].payload).toMatchObject({
      source: 'users',
      aggregateVersion: 1,
      data: { message: 'Hi', publishedAt: PUBLISHED_AT.toISOString() },
    });
    const after: { count: string }[] = await dataSource.query('SELECT count(*) FROM users.outbox');
    expect(Number(after[0].count)).toBe(Number(before[0].count) + 1);
  });
});
