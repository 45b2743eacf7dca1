import type { MigrationInterface, QueryRunner } from 'typeorm';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * A migration creating a service's event tables in its schema:
 *
 * - `outbox`: events written in the same transaction as the state change that
 *   caused them, until the relay has published them. The whole envelope is
 *   kept in `payload`; `claimed_until` is the lease of the relay working on a
 *   row, so rows of a relay that died are picked up again when it expires.
 * - `inbox`: the events each consumer has handled, written in the same
 *   transaction as the handler's effect, so a redelivered event is skipped.
 *
 * Runs as the schema owner like every migration; the runtime role gets DML
 * on both tables through bootstrap's default privileges.
 *
 * @example
 * // services/orders/src/migrations/index.ts
 * export const migrations = [CreateOrders1764200000000, createEventTablesMigration('orders', 1764200000001)];
 */
export function createEventTablesMigration(schema: string, timestamp: number): new () => MigrationInterface {
  if (!IDENTIFIER.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
  if (!Number.isInteger(timestamp) || String(timestamp).length !== 13) {
    throw new Error('timestamp must be 13 digits (milliseconds), like every migration name in this repo');
  }
  const name = `CreateEventTables${timestamp}`;

  return class CreateEventTables implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(`
        CREATE TABLE ${schema}.outbox (
          id uuid PRIMARY KEY,
          type text NOT NULL,
          payload jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          published_at timestamptz,
          claimed_until timestamptz,
          attempts integer NOT NULL DEFAULT 0,
          last_error text
        )`);
      // The relay only ever looks for unpublished rows, oldest first: a small
      // index however many published rows the table keeps.
      await db.query(`
        CREATE INDEX outbox_unpublished_idx ON ${schema}.outbox (created_at)
        WHERE published_at IS NULL`);
      await db.query(`
        CREATE INDEX outbox_published_at_idx ON ${schema}.outbox (published_at)
        WHERE published_at IS NOT NULL`);

      await db.query(`
        CREATE TABLE ${schema}.inbox (
          event_id uuid NOT NULL,
          consumer text NOT NULL,
          handled_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (event_id, consumer)
        )`);
      await db.query(`CREATE INDEX inbox_handled_at_idx ON ${schema}.inbox (handled_at)`);
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`DROP TABLE ${schema}.inbox`);
      await db.query(`DROP TABLE ${schema}.outbox`);
    }
  };
}
