import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764000000000 implements MigrationInterface {
  name = 'CreateUsers1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users.users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(50) NOT NULL,
        email varchar(254) NOT NULL,
        password_hash text NOT NULL,
        age smallint CHECK (age BETWEEN 0 AND 150),
        scopes text[] NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    // Case-insensitive uniqueness: "Alice" and "alice" are the same account.
    await db.query(`CREATE UNIQUE INDEX users_username_key ON users.users (lower(username))`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users.users (lower(email))`);

    await db.query(`
      CREATE TABLE users.refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL UNIQUE,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
        scope text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX refresh_tokens_family_idx ON users.refresh_tokens (family_id)`);
    await db.query(`CREATE INDEX refresh_tokens_user_idx ON users.refresh_tokens (user_id)`);

    await db.query(`
      CREATE TABLE users.signing_keys (
        kid varchar(64) PRIMARY KEY,
        alg varchar(16) NOT NULL,
        private_jwk jsonb NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE users.signing_keys`);
    await db.query(`DROP TABLE users.refresh_tokens`);
    await db.query(`DROP TABLE users.users`);
  }
}
