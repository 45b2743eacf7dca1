import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

type Result = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Result) => void;

// Reserves `size` places in the key's window; the window starts with its first reservation.
const RESERVE_LUA = `
local reserved = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {reserved, ttl}
`;

type ReservingRedis = Redis & {
  reserveWindowPlaces(
    key: string,
    size: number,
    windowMs: number,
    callback: (error: Error | null, result?: [number, number]) => void,
  ): void;
};

/** What one replica holds of one key's window: the places it reserved and has not handed out yet. */
interface Lease {
  next: number;
  last: number;
  expiresAt: number;
  waiting: Callback[];
  reserving: boolean;
}

// A replica reserves 1% of a limit at a time (at most 50 places), so a busy
// caller costs Redis one call per that many requests; a small limit (the
// login one) is counted one request at a time, exactly.
export const leaseSize = (max: number): number => Math.max(1, Math.min(50, Math.floor(max / 100)));

// Leases of past windows are dropped whenever the map has doubled since the last sweep.
const FIRST_SWEEP_AT = 1024;

/**
 * A @fastify/rate-limit store: a fixed window per key, counted in Redis and
 * shared by every replica, handed out in leases. Each request gets a place
 * in its window's global order and is over the limit if that place is beyond
 * `max`; places are reserved atomically (INCRBY), so all replicas together
 * never admit more than `max` per window. What a replica reserved and did not
 * use by the window's end is lost: at most a lease per replica and window.
 * Once a window is full, the rest of it is refused without asking Redis.
 */
export function leasedWindowStore(redis: Redis, nameSpace: string): FastifyRateLimitStoreCtor {
  if (!('reserveWindowPlaces' in redis)) {
    redis.defineCommand('reserveWindowPlaces', { numberOfKeys: 1, lua: RESERVE_LUA });
  }
  const reserving = redis as ReservingRedis;

  return class LeasedWindowStore implements FastifyRateLimitStore {
    private readonly leases = new Map<string, Lease>();
    private sweepAt = FIRST_SWEEP_AT;

    incr(key: string, callback: Callback, windowMs: number, max: number): void {
      const now = Date.now();
      let lease = this.leases.get(key);
      if (!lease || (lease.expiresAt <= now && !lease.reserving)) {
        if (this.leases.size >= this.sweepAt) this.sweep(now);
        lease = { next: 1, last: 0, expiresAt: 0, waiting: [], reserving: false };
        this.leases.set(key, lease);
      }
      if (lease.next <= lease.last) {
        return callback(null, { current: lease.next++, ttl: lease.expiresAt - now });
      }
      if (lease.last > max && lease.expiresAt > now) {
        return callback(null, { current: lease.last + 1, ttl: lease.expiresAt - now });
      }
      lease.waiting.push(callback);
      // Requests arriving while a reservation is on its way share it.
      if (!lease.reserving) this.reserve(key, lease, windowMs, max);
    }

    child(): FastifyRateLimitStore {
      return this;
    }

    private reserve(key: string, lease: Lease, windowMs: number, max: number): void {
      const size = leaseSize(max);
      lease.reserving = true;
      reserving.reserveWindowPlaces(`${nameSpace}${key}`, size, windowMs, (error, result) => {
        lease.reserving = false;
        const waiting = lease.waiting.splice(0);
        if (error || !result) {
          for (const callback of waiting) callback(error ?? new Error('No answer from Redis'));
          return;
        }
        const [reserved, ttl] = result;
        const now = Date.now();
        Object.assign(lease, { next: reserved - size + 1, last: reserved, expiresAt: now + ttl });
        let served = 0;
        for (; served < waiting.length && (lease.next <= lease.last || lease.last > max); served++) {
          const current = lease.next <= lease.last ? lease.next++ : lease.last + 1;
          waiting[served](null, { current, ttl });
        }
        if (served < waiting.length) {
          lease.waiting.unshift(...waiting.slice(served));
          this.reserve(key, lease, windowMs, max);
        }
      });
    }

    private sweep(now: number): void {
      for (const [key, lease] of this.leases) {
        if (lease.expiresAt <= now && !lease.reserving) this.leases.delete(key);
      }
      this.sweepAt = Math.max(FIRST_SWEEP_AT, this.leases.size * 2);
    }
  };
}
