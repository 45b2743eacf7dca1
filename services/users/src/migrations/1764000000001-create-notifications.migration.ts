import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1764000000001 implements MigrationInterface {
  name = 'CreateNotifications1764000000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users.notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
        kind varchar(32) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX notifications_user_idx ON users.notifications (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE users.notifications`);
  }
}
