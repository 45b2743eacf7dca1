import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../redis/redis.factory';
import type { AccessTokenClaims } from './access-token-claims.model';

/** Access tokens live at most this long (SPEC), so a denial older than that has nothing left to refuse. */
const ACCESS_TOKEN_LIFETIME_SEC = 15 * 60;
/** The sorted set (user id → when denied) every process of one system shares. */
const REDIS_KEY = 'denied-users';
const SYNC_INTERVAL_MS = 2_000;

/** Where the shared set lives: the process's Redis and its key prefix (SPEC's variables). */
export interface DeniedUsersSettings {
  REDIS_URL: string;
  REDIS_KEY_PREFIX?: string;
}

/**
 * A process's prefix names its system and itself (`shop:items:`, `test:3f9a:users:`); what
 * every process of the system shares lives under the system part (`shop:`), so a test system
 * with prefixes of its own shares its set with nobody else.
 */
export function systemKeyPrefixOf(processPrefix = 'shop:users:'): string {
  const segments = processPrefix.split(':').filter(Boolean);
  const system = segments.length > 1 ? segments.slice(0, -1) : segments;
  return `${system.join(':')}:`;
}

/** The deny-list's own connection, prefixed with the system part of the process's prefix. */
export function deniedUsersRedis(settings: DeniedUsersSettings): Redis {
  const keyPrefix = systemKeyPrefixOf(settings.REDIS_KEY_PREFIX);
  return createRedisClient({ url: settings.REDIS_URL, keyPrefix, name: 'deny-list' });
}

/**
 * Users whose still-valid access tokens this process refuses: those disabled
 * or deleted within the last token lifetime. The check is a lookup in memory,
 * so it costs the request path no round trip; the set is synced every 2 s
 * from a Redis sorted set that the users service writes right after it
 * commits a disable or delete, and the gateway writes from the events. With
 * Redis away, what this process already knows still counts.
 *
 * A token is refused only if it was issued no later than the denial, so a
 * user enabled again logs in and is let through with the new token.
 */
export class DeniedUsersStore implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DeniedUsersStore.name);
  /** user id → denial time, in seconds since the epoch. */
  private readonly deniedAt = new Map<string, number>();
  /** Denials recorded here that Redis has not taken yet: each sync tries again. */
  private readonly unshared = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  /** `redis` is the store's own client (see `deniedUsersRedis`); it closes it on shutdown. */
  constructor(private readonly redis: Redis) {}

  onModuleInit(): void {
    void this.sync();
    this.timer = setInterval(() => void this.sync(), SYNC_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.redis.disconnect();
  }

  /** The verifier's `isRevoked` hook; synchronous, so a hit costs nothing more. */
  readonly isRevoked = (claims: AccessTokenClaims): boolean => {
    const deniedAt = this.deniedAt.get(claims.sub);
    return deniedAt !== undefined && claims.iat <= deniedAt;
  };

  /**
   * Records a disabled or deleted user, here at once and in Redis for every
   * other process; with Redis away, the next sync that reaches it shares it.
   */
  async deny(userId: string, at: Date): Promise<void> {
    const atSec = Math.ceil(at.getTime() / 1000);
    this.remember(userId, atSec);
    this.unshared.set(userId, Math.max(atSec, this.unshared.get(userId) ?? 0));
    try {
      await this.share();
    } catch (error) {
      this.logger.warn(
        `Could not share the denial of ${userId} through Redis yet: ${(error as Error).message}`,
      );
    }
  }

  /** Shares the pending denials, and merges what the other processes recorded. */
  async sync(): Promise<void> {
    const oldest = nowSec() - ACCESS_TOKEN_LIFETIME_SEC;
    for (const [userId, atSec] of this.deniedAt) if (atSec < oldest) this.deniedAt.delete(userId);
    for (const [userId, atSec] of this.unshared) if (atSec < oldest) this.unshared.delete(userId);
    try {
      if (this.unshared.size > 0) await this.share();
      const entries = await this.redis.zrangebyscore(REDIS_KEY, oldest, '+inf', 'WITHSCORES');
      for (let i = 0; i < entries.length; i += 2) this.remember(entries[i], Number(entries[i + 1]));
    } catch {
      // Redis away (the client logs it once): what this process knows still counts; the next sync catches up.
    }
  }

  private async share(): Promise<void> {
    const pending = [...this.unshared];
    if (pending.length === 0) return;
    const members = pending.flatMap(([userId, atSec]) => [atSec, userId]);
    await this.redis
      .multi()
      .zadd(REDIS_KEY, 'GT', ...members)
      .zremrangebyscore(REDIS_KEY, '-inf', nowSec() - ACCESS_TOKEN_LIFETIME_SEC)
      .expire(REDIS_KEY, ACCESS_TOKEN_LIFETIME_SEC)
      .exec();
    // A denial recorded again while this write was under way stays pending.
    for (const [userId, atSec] of pending)
      if (this.unshared.get(userId) === atSec) this.unshared.delete(userId);
  }

  private remember(userId: string, atSec: number): void {
    this.deniedAt.set(userId, Math.max(atSec, this.deniedAt.get(userId) ?? 0));
  }
}

const nowSec = () => Math.floor(Date.now() / 1000);
