import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { isDatabaseConnectionLost } from '../src/database/database.errors';
import { toProblem } from '../src/errors/problem.filter';
import { createTestDatabase, TestDatabase } from '../src/testing/test-database.fixture';

class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE TABLE items.notes (id int PRIMARY KEY)');
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE items.notes');
  }
}

/** What a query fails with, as the service's code sees it. */
async function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('the query succeeded');
    },
    (error: unknown) => error,
  );
}

describe('a lost database connection', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let admin: Client;

  beforeAll(async () => {
    db = await createTestDatabase({
      services: [{ schema: 'items', migrations: [CreateNotes1700000000000] }],
    });
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.runtimeUrl('items'),
      poolSize: 2,
    }).initialize();
    admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await dataSource?.destroy().catch(() => undefined);
    await admin?.end();
    await db?.drop();
  });

  it('is a 503 with Retry-After when Postgres terminates the connection under a query', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
    const sleeping = failureOf(runner.query('SELECT pg_sleep(5)'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = await sleeping;
    await runner.release().catch(() => undefined);

    expect(isDatabaseConnectionLost(error)).toBe(true);
    const { problem, headers } = toProblem(error);
    expect(problem).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE' });
    expect(headers['retry-after']).toBe('2');
  });

  it('is a 503 when a statement is cancelled', async () => {
    const error = await failureOf(
      dataSource.transaction(async (tx) => {
        await tx.query("SET LOCAL statement_timeout = '50ms'");
        await tx.query('SELECT pg_sleep(1)');
      }),
    );
    expect(toProblem(error).problem.status).toBe(503);
  });

  it('is a 503 when no server answers at all', async () => {
    const nowhere = new DataSource({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' });
    const error = await failureOf(nowhere.initialize());
    expect(toProblem(error).problem.status).toBe(503);
  });

  it('leaves a refused statement a 500, so a real bug is not hidden', async () => {
    await dataSource.query('INSERT INTO items.notes (id) VALUES (1)');
    const duplicate = await failureOf(dataSource.query('INSERT INTO items.notes (id) VALUES (1)'));
    const syntax = await failureOf(dataSource.query('SELEC 1'));
    expect([duplicate, syntax].map(isDatabaseConnectionLost)).toEqual([false, false]);
    expect([duplicate, syntax].map((error) => toProblem(error).problem.status)).toEqual([500, 500]);
  });
});
