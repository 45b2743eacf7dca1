import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateItems1764100000000 implements MigrationInterface {
  name = 'CreateItems1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE items.items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL CHECK (char_length(btrim(name)) > 0),
        description varchar(2000),
        price numeric(12, 2) NOT NULL CHECK (price >= 0),
        tax numeric(12, 2) CHECK (tax >= 0),
        owner_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    // Lists page in creation order; the id breaks ties so pages never overlap.
    await db.query(`CREATE INDEX items_created_at_id_idx ON items.items (created_at, id)`);

    // Blobs live apart so that reading or listing items never drags them along.
    await db.query(`
      CREATE TABLE items.item_images (
        item_id uuid PRIMARY KEY REFERENCES items.items (id) ON DELETE CASCADE,
        content_type varchar(32) NOT NULL
          CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
        sha256 char(64) NOT NULL,
        size integer NOT NULL CHECK (size BETWEEN 1 AND 1048576),
        data bytea NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Images are compressed already: store them out of line without trying again.
    await db.query(`ALTER TABLE items.item_images ALTER COLUMN data SET STORAGE EXTERNAL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE items.item_images`);
    await db.query(`DROP TABLE items.items`);
  }
}
