import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { SigningKey } from './signing-key.entity';

@Injectable()
export class SigningKeysRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Serialises every change of the key set until `tx` ends, across replicas
   * and the rotate command, so two starts cannot each create a first key and
   * two rotations cannot each retire the other's new key.
   */
  async lock(tx: EntityManager): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('users.signing_keys'))`);
  }

  /** The key that signs, if any. */
  findActive(tx: EntityManager): Promise<SigningKey | null> {
    return tx.getRepository(SigningKey).findOneBy({ retiredAt: IsNull() });
  }

  /** Every key still published, newest first. */
  listNewestFirst(): Promise<SigningKey[]> {
    return this.db.getRepository(SigningKey).find({ order: { createdAt: 'DESC' } });
  }

  async insert(tx: EntityManager, key: SigningKey): Promise<void> {
    await tx.getRepository(SigningKey).insert(key);
  }

  async retireActive(tx: EntityManager): Promise<void> {
    await tx.query(`UPDATE users.signing_keys SET retired_at = now() WHERE retired_at IS NULL`);
  }

  /** Forgets keys retired more than `ageMs` ago. */
  async deleteRetiredBefore(tx: EntityManager, ageMs: number): Promise<void> {
    await tx.query(`DELETE FROM users.signing_keys WHERE retired_at < now() - make_interval(secs => $1)`, [
      ageMs / 1000,
    ]);
  }
}
