import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1764200000000 implements MigrationInterface {
  name = 'CreateOrders1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE orders.orders (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
        total numeric(12, 2) NOT NULL CHECK (total >= 0),
        reject_reason text,
        cancel_reason text,
        version integer NOT NULL DEFAULT 1 CHECK (version > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- A reason exactly when the status needs one.
        CHECK ((status = 'REJECTED') = (reject_reason IS NOT NULL)),
        CHECK ((status = 'CANCELLED') = (cancel_reason IS NOT NULL))
      )`);
    // A customer's orders, newest first; and everybody's, for orders:all.
    await db.query(`CREATE INDEX orders_user_created_idx ON orders.orders (user_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX orders_created_idx ON orders.orders (created_at DESC, id)`);
    // The expiry job scans only the (few) orders still waiting for inventory.
    await db.query(`CREATE INDEX orders_pending_idx ON orders.orders (created_at) WHERE status = 'PENDING'`);

    await db.query(`
      CREATE TABLE orders.order_lines (
        order_id uuid NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
        line_no smallint NOT NULL CHECK (line_no > 0),
        item_id uuid NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
        PRIMARY KEY (order_id, line_no),
        UNIQUE (order_id, item_id)
      )`);

    // One row per (caller, key): the first successful response, replayed for
    // repeats within the retention period. Written in the order's transaction.
    // The body is json, not jsonb, so a replay is the first response byte for byte.
    await db.query(`
      CREATE TABLE orders.idempotency_keys (
        user_id uuid NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash char(64) NOT NULL,
        order_id uuid NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
        response_status smallint NOT NULL,
        response_body json NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON orders.idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE orders.idempotency_keys`);
    await db.query(`DROP TABLE orders.order_lines`);
    await db.query(`DROP TABLE orders.orders`);
  }
}
