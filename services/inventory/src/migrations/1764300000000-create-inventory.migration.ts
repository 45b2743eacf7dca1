import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInventory1764300000000 implements MigrationInterface {
  name = 'CreateInventory1764300000000';

  async up(db: QueryRunner): Promise<void> {
    // The CHECKs are the backstop: every write is already a conditional UPDATE,
    // but a bug or a hand-written query still cannot take stock below zero.
    await db.query(`
      CREATE TABLE inventory.stock (
        item_id uuid PRIMARY KEY,
        available integer NOT NULL DEFAULT 0 CHECK (available >= 0),
        reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        discontinued_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stock_total_limit CHECK (available + reserved <= 1000000000)
      )`);

    await db.query(`
      CREATE TABLE inventory.adjustments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES inventory.stock (item_id),
        delta integer NOT NULL CHECK (delta <> 0),
        reason varchar(200) NOT NULL CHECK (char_length(btrim(reason)) > 0),
        adjusted_by uuid NOT NULL,
        available_after integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX adjustments_item_idx ON inventory.adjustments (item_id, created_at)`);

    // One row per order ever seen: its outcome, remembered so that a late or
    // repeated order.placed / order.cancelled finds what already happened.
    await db.query(`
      CREATE TABLE inventory.order_reservations (
        order_id uuid PRIMARY KEY,
        status varchar(32) NOT NULL
          CHECK (status IN ('RESERVED', 'REJECTED', 'RELEASED', 'CANCELLED_BEFORE_RESERVATION')),
        reject_reason varchar(32) CHECK (reject_reason IN ('OUT_OF_STOCK', 'UNKNOWN_ITEM')),
        rejected_item_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT order_reservations_reason CHECK ((status = 'REJECTED') = (reject_reason IS NOT NULL))
      )`);

    // What a RESERVED order holds, so a cancellation gives back exactly that.
    await db.query(`
      CREATE TABLE inventory.reservation_lines (
        order_id uuid NOT NULL REFERENCES inventory.order_reservations (order_id),
        item_id uuid NOT NULL REFERENCES inventory.stock (item_id),
        quantity integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (order_id, item_id)
      )`);
    await db.query(`CREATE INDEX reservation_lines_item_idx ON inventory.reservation_lines (item_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE inventory.reservation_lines`);
    await db.query(`DROP TABLE inventory.order_reservations`);
    await db.query(`DROP TABLE inventory.adjustments`);
    await db.query(`DROP TABLE inventory.stock`);
  }
}
