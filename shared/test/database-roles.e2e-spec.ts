import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bootstrapDatabase, createTestDatabase, TestDatabase } from '../src/testing/test-database.fixture';

// A migration that runs after bootstrap, like every real one: the runtime role
// must reach its table only through bootstrap's default privileges.
function createProbeTable(schema: string) {
  return class CreateProbe1700000000000 implements MigrationInterface {
    name = 'CreateProbe1700000000000';
    async up(db: QueryRunner): Promise<void> {
      await db.query(`CREATE TABLE ${schema}.probe (id serial PRIMARY KEY, label text NOT NULL)`);
    }
    async down(db: QueryRunner): Promise<void> {
      await db.query(`DROP TABLE ${schema}.probe`);
    }
  };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('database roles', () => {
  let db: TestDatabase;
  let items: Client;
  let users: Client;

  beforeAll(async () => {
    db = await createTestDatabase({
      services: [
        { schema: 'users', migrations: [createProbeTable('users')] },
        { schema: 'items', migrations: [createProbeTable('items')] },
      ],
    });
    items = await connect(db.runtimeUrl('items'));
    users = await connect(db.runtimeUrl('users'));
  });

  afterAll(async () => {
    await items?.end();
    await users?.end();
    await db?.drop();
  });

  it('lets a runtime role read and write the tables a later migration created in its schema', async () => {
    const inserted = await items.query(`INSERT INTO items.probe (label) VALUES ('pen') RETURNING id`);
    await items.query(`UPDATE items.probe SET label = 'red pen' WHERE id = $1`, [inserted.rows[0].id]);
    const read = await items.query(`SELECT label FROM items.probe WHERE id = $1`, [inserted.rows[0].id]);
    expect(read.rows).toEqual([{ label: 'red pen' }]);
    await items.query(`DELETE FROM items.probe WHERE id = $1`, [inserted.rows[0].id]);
  });

  it.each([
    ['items', 'users'],
    ['users', 'items'],
  ])('denies the %s runtime role any access to the %s schema', async (own, other) => {
    const client = own === 'items' ? items : users;
    await expect(client.query(`SELECT * FROM ${other}.probe`)).rejects.toThrow(
      `permission denied for schema ${other}`,
    );
  });

  it('denies a runtime role creating tables in its own schema', async () => {
    await expect(items.query('CREATE TABLE items.x (id int)')).rejects.toThrow(
      'permission denied for schema items',
    );
  });

  it('denies a runtime role creating tables in public or creating schemas', async () => {
    await expect(items.query('CREATE TABLE public.x (id int)')).rejects.toThrow(
      'permission denied for schema public',
    );
    await expect(items.query('CREATE SCHEMA x')).rejects.toThrow('permission denied for database');
  });

  it('denies a runtime role altering or dropping a migrated table', async () => {
    await expect(items.query('ALTER TABLE items.probe ADD COLUMN x int')).rejects.toThrow(
      'must be owner of table probe',
    );
    await expect(items.query('DROP TABLE items.probe')).rejects.toThrow('must be owner of table probe');
  });

  it('runs migrations as the owner role, so the owner owns the tables', async () => {
    const admin = await connect(db.adminUrl);
    try {
      const { rows } = await admin.query(
        `SELECT schemaname, tablename, tableowner FROM pg_tables
          WHERE schemaname IN ('users', 'items') ORDER BY schemaname, tablename`,
      );
      expect(rows).toEqual([
        { schemaname: 'items', tablename: 'migrations', tableowner: 'items_owner' },
        { schemaname: 'items', tablename: 'probe', tableowner: 'items_owner' },
        { schemaname: 'users', tablename: 'migrations', tableowner: 'users_owner' },
        { schemaname: 'users', tablename: 'probe', tableowner: 'users_owner' },
      ]);
    } finally {
      await admin.end();
    }
  });

  it('lets a runtime role LISTEN and NOTIFY', async () => {
    await items.query('LISTEN probe_events');
    const received = new Promise((resolve) =>
      items.once('notification', (message) => resolve(message.payload)),
    );
    await users.query(`SELECT pg_notify('probe_events', 'hello')`);
    await expect(received).resolves.toBe('hello');
    await items.query('UNLISTEN probe_events');
  });

  it('bootstraps again, and twice in parallel, keeping data and grants', async () => {
    await items.query(`INSERT INTO items.probe (label) VALUES ('kept')`);

    await bootstrapDatabase(db.name);
    await Promise.all([bootstrapDatabase(db.name), bootstrapDatabase(db.name)]);

    const { rows } = await items.query(`SELECT label FROM items.probe WHERE label = 'kept'`);
    expect(rows).toEqual([{ label: 'kept' }]);
  });

  it('leaves this database untouched while another test database is bootstrapped and dropped', async () => {
    await items.query(`INSERT INTO items.probe (label) VALUES ('survivor')`);

    const other = await createTestDatabase({
      services: [{ schema: 'items', migrations: [createProbeTable('items')] }],
    });
    await other.drop();

    const { rows } = await items.query(`SELECT label FROM items.probe WHERE label = 'survivor'`);
    expect(rows).toEqual([{ label: 'survivor' }]);
    await expect(items.query('CREATE TABLE items.x (id int)')).rejects.toThrow('permission denied');
  });
});
