import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { JWK } from 'jose';

/**
 * A token signing key pair, shared by every replica through the database.
 * The newest key signs; older ones stay published in the JWKS until every
 * token they signed has expired.
 */
@Entity({ schema: 'users', name: 'signing_keys' })
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 16 })
  alg: string;

  @Column({ name: 'private_jwk', type: 'jsonb' })
  privateJwk: JWK;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: JWK;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set when a newer key took over signing; the key is deleted once its tokens have expired. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
