import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { REDIS, type AccessTokenClaims } from '@shop/shared';
import type { Redis } from 'ioredis';

/** Access tokens live at most this long (SPEC), so a denial older than that has nothing left to refuse. */
export const ACCESS_TOKEN_LIFETIME_SEC = 15 * 60;
const REDIS_KEY = 'denied-users';
const SYNC_INTERVAL_MS = 5_000;

/**
 * Users whose still-valid access tokens the gateway refuses: those disabled
 * or deleted within the last token lifetime. Every replica hears the events
 * itself (its own queue) and keeps them in memory, so the check costs no
 * round trip; Redis (a sorted set: user id → when denied, shared by the
 * replicas) tells a replica what happened before it started or while its
 * broker connection was down. With Redis away, the events this replica heard
 * still count.
 *
 * A token is refused only if it was issued no later than the denial, so a
 * user enabled again logs in and is let through with the new token.
 */
@Injectable()
export class DenyListStore implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DenyListStore.name);
  /** user id → denial time, in seconds since the epoch. */
  private readonly deniedAt = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onModuleInit(): void {
    void this.sync();
    this.timer = setInterval(() => void this.sync(), SYNC_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The verifier's `isRevoked` hook. */
  readonly isRevoked = (claims: AccessTokenClaims): boolean => {
    const deniedAt = this.deniedAt.get(claims.sub);
    return deniedAt !== undefined && claims.iat <= deniedAt;
  };

  /** Records a disabled or deleted user, here at once and in Redis for the other replicas. */
  async deny(userId: string, at: Date): Promise<void> {
    const atSec = Math.ceil(at.getTime() / 1000);
    this.remember(userId, atSec);
    try {
      await this.redis
        .multi()
        .zadd(REDIS_KEY, 'GT', atSec, userId)
        .zremrangebyscore(REDIS_KEY, '-inf', nowSec() - ACCESS_TOKEN_LIFETIME_SEC)
        .expire(REDIS_KEY, ACCESS_TOKEN_LIFETIME_SEC)
        .exec();
    } catch (error) {
      this.logger.warn(`Could not share the denial of ${userId} through Redis: ${(error as Error).message}`);
    }
  }

  /** Merges what the other replicas recorded, and forgets denials older than any live token. */
  async sync(): Promise<void> {
    const oldest = nowSec() - ACCESS_TOKEN_LIFETIME_SEC;
    for (const [userId, atSec] of this.deniedAt) if (atSec < oldest) this.deniedAt.delete(userId);
    try {
      const entries = await this.redis.zrangebyscore(REDIS_KEY, oldest, '+inf', 'WITHSCORES');
      for (let i = 0; i < entries.length; i += 2) this.remember(entries[i], Number(entries[i + 1]));
    } catch {
      // Redis away: the events this replica heard still count; the next sync catches up.
    }
  }

  private remember(userId: string, atSec: number): void {
    this.deniedAt.set(userId, Math.max(atSec, this.deniedAt.get(userId) ?? 0));
  }
}

const nowSec = () => Math.floor(Date.now() / 1000);
