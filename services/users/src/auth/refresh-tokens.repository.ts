import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RefreshToken } from './refresh-token.entity';

/** The refresh tokens. Methods that run in the caller's transaction take it (`tx`) first. */
@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly db: DataSource) {}

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.db.getRepository(RefreshToken).findOneBy({ tokenHash });
  }

  async insert(
    tx: EntityManager,
    token: Omit<RefreshToken, 'id' | 'createdAt' | 'usedAt' | 'revokedAt'>,
  ): Promise<void> {
    await tx.getRepository(RefreshToken).insert(token);
  }

  /**
   * Marks a token spent, if nobody spent or revoked it first. The condition in
   * the UPDATE makes two concurrent refreshes with one token race-free: the
   * second waits for the first's row lock, then finds the token spent and
   * updates nothing, so exactly one wins; the caller treats the loser as reuse.
   */
  async markUsed(tx: EntityManager, id: string): Promise<boolean> {
    const result = await tx.query(
      `UPDATE users.refresh_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
      [id],
    );
    return result[1] === 1;
  }

  /**
   * Revokes every token of a family. Each statement reads what is committed
   * when it starts, so a token the winner of a race has just committed is
   * revoked too.
   */
  async revokeFamily(tx: EntityManager, familyId: string): Promise<void> {
    await tx.query(
      `UPDATE users.refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
  }

  async revokeAllOfUser(tx: EntityManager, userId: string): Promise<void> {
    await tx.query(
      `UPDATE users.refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
  }
}
