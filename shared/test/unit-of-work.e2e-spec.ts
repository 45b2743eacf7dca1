import { ConflictException, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterCommit } from '../src/database/after-commit.hook';
import { UnitOfWork } from '../src/database/unit-of-work.interceptor';
import { UnitOfWorkService } from '../src/database/unit-of-work.service';
import { createTestDatabase, TestDatabase } from '../src/testing/test-database.fixture';

class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(db: QueryRunner): Promise<void> {
    // Deferred: a duplicate passes the INSERT and fails the COMMIT.
    await db.query(
      'CREATE TABLE items.notes (tag text NOT NULL, n int NOT NULL, UNIQUE (tag, n) DEFERRABLE INITIALLY DEFERRED)',
    );
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE items.notes');
  }
}

const committed: string[] = [];

/** Routes that write notes under `tag`, each ending its unit of work another way. */
@Controller('notes/:tag')
class NotesController {
  constructor(private readonly unitOfWork: UnitOfWorkService) {}

  private async write(tag: string, ...numbers: number[]): Promise<void> {
    const tx = await this.unitOfWork.manager();
    for (const n of numbers) await tx.query('INSERT INTO items.notes (tag, n) VALUES ($1, $2)', [tag, n]);
    afterCommit(tx, () => committed.push(`${tag}:${numbers.join(',')}`));
  }

  @Post('commit')
  @UnitOfWork()
  async commit(@Param('tag') tag: string): Promise<{ ok: true }> {
    await this.write(tag, 1, 2);
    return { ok: true };
  }

  @Post('refuse')
  @UnitOfWork()
  async refuse(@Param('tag') tag: string): Promise<never> {
    await this.write(tag, 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // lets a concurrent request interleave
    throw new ConflictException('refused after writing');
  }

  @Post('restart')
  @UnitOfWork()
  async restart(@Param('tag') tag: string): Promise<{ ok: true }> {
    await this.write(tag, 1);
    await this.unitOfWork.rollback();
    await this.write(tag, 2);
    return { ok: true };
  }

  @Post('duplicate')
  @UnitOfWork()
  async duplicate(@Param('tag') tag: string): Promise<{ ok: true }> {
    await this.write(tag, 1, 1);
    return { ok: true };
  }

  @Post('read-only')
  @UnitOfWork()
  @HttpCode(200)
  readOnly(): { ok: true } {
    return { ok: true };
  }

  @Post('outside')
  async outside(): Promise<unknown> {
    return this.unitOfWork.manager().then(
      () => ({ began: true }),
      (error: Error) => ({ error: error.message }),
    );
  }
}

describe('the per-request unit of work (@UnitOfWork)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let app: NestFastifyApplication;
  let tag = 0;
  const nextTag = () => `t${++tag}-${Date.now()}`;
  const notes = async (tag: string): Promise<number[]> =>
    (await dataSource.query('SELECT n FROM items.notes WHERE tag = $1 ORDER BY n', [tag])).map(
      (row: { n: number }) => row.n,
    );
  const post = (tag: string, route: string) => app.inject({ method: 'POST', url: `/notes/${tag}/${route}` });

  beforeAll(async () => {
    db = await createTestDatabase({
      services: [{ schema: 'items', migrations: [CreateNotes1700000000000] }],
    });
    // Two connections: a unit that leaked its connection would soon starve the others.
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.runtimeUrl('items'),
      poolSize: 2,
    }).initialize();
    @Module({
      controllers: [NotesController],
      providers: [{ provide: DataSource, useValue: dataSource }, UnitOfWorkService],
    })
    class NotesModule {}
    const moduleRef = await Test.createTestingModule({ imports: [NotesModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy().catch(() => undefined);
    await db?.drop();
  });

  beforeEach(() => committed.splice(0));

  it('commits what the handler wrote before the response goes out, then runs its after-commit work', async () => {
    const t = nextTag();
    const response = await post(t, 'commit');
    expect(response.statusCode).toBe(201);
    expect(await notes(t)).toEqual([1, 2]);
    expect(committed).toEqual([`${t}:1,2`]);
  });

  it('rolls back everything when the handler throws, and the error is answered as usual', async () => {
    const t = nextTag();
    const response = await post(t, 'refuse');
    expect(response.statusCode).toBe(409);
    expect(await notes(t)).toEqual([]);
    expect(committed).toEqual([]);
  });

  it('keeps concurrent requests apart: one rolling back takes nothing of another with it', async () => {
    const [a1, b1, a2, b2] = [nextTag(), nextTag(), nextTag(), nextTag()];
    const responses = await Promise.all([
      post(a1, 'refuse'),
      post(b1, 'commit'),
      post(a2, 'refuse'),
      post(b2, 'commit'),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([409, 201, 409, 201]);
    expect(await Promise.all([a1, b1, a2, b2].map(notes))).toEqual([[], [1, 2], [], [1, 2]]);
  });

  it('after rollback() mid-request, keeps only what was written after it', async () => {
    const t = nextTag();
    expect((await post(t, 'restart')).statusCode).toBe(201);
    expect(await notes(t)).toEqual([2]);
    expect(committed).toEqual([`${t}:2`]);
  });

  it('a commit that fails fails the request, writes nothing and gives its connection back', async () => {
    const t = nextTag();
    for (let i = 0; i < 3; i++) expect((await post(t, 'duplicate')).statusCode).toBe(500);
    expect(await notes(t)).toEqual([]);
    expect(committed).toEqual([]);
    expect((await post(nextTag(), 'commit')).statusCode).toBe(201); // the pool of two is not exhausted
  });

  it('begins no transaction for a request that never asks for one', async () => {
    const runners = jest.spyOn(dataSource, 'createQueryRunner');
    try {
      expect((await post(nextTag(), 'read-only')).statusCode).toBe(200);
      expect(runners).not.toHaveBeenCalled();
    } finally {
      runners.mockRestore();
    }
  });

  it('refuses to hand out a transaction outside a unit of work, saying how to get one', async () => {
    const response = await post(nextTag(), 'outside');
    expect(response.json()).toEqual({ error: expect.stringContaining('@UnitOfWork()') });
  });
});
