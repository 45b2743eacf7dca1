import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RefreshToken } from './refresh-token.entity';

@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly db: DataSource) {}

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.db.getRepository(RefreshToken).findOneBy({ tokenHash });
  }

  async insert(
    token: Omit<RefreshToken, 'id' | 'createdAt' | 'usedAt' | 'revokedAt'>,
    tx?: EntityManager,
  ): Promise<void> {
    await (tx ?? this.db.manager).getRepository(RefreshToken).insert(token);
  }

  /**
   * Marks a token spent, if nobody spent or revoked it first. The condition in
   * the UPDATE makes two concurrent refreshes with one token race-free: one
   * wins, the other is treated as reuse.
   */
  async markUsed(id: string, tx: EntityManager): Promise<boolean> {
    const result = await tx.query(
      `UPDATE users.refresh_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
      [id],
    );
    return result[1] === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.db.query(
      `UPDATE users.refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
  }

  async revokeAllOfUser(userId: string, tx?: EntityManager): Promise<void> {
    await (tx ?? this.db.manager).query(
      `UPDATE users.refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
  }
}
