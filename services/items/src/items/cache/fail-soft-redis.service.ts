import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';

export type CacheOperation = 'get' | 'fill' | 'invalidate';

/** What `run` gives back when the command did not happen or did not answer. */
export const FAILED = Symbol('failed');

/** A cache that answers slower than this is treated as away: Postgres is right there. */
const TIMEOUT_MS = 250;
/** After a failure Redis is left alone this long, so a hung Redis slows one request, not all. */
const BACK_OFF_MS = 1_000;
const WARNING_INTERVAL_MS = 30_000;

/**
 * Runs cache commands so that Redis can slow a request by at most one short
 * timeout and never fail it: while the client is not connected, or shortly
 * after a failure, commands are skipped outright; a failure is counted and
 * logged at most once per interval (an outage fails every request), never
 * thrown.
 */
export class FailSoftRedisService {
  private backOffUntil = 0;
  private lastWarningAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly operations: Counter<'operation' | 'outcome'>,
    private readonly logger: Logger,
  ) {}

  async run<T>(operation: CacheOperation, command: (redis: Redis) => Promise<T>): Promise<T | typeof FAILED> {
    if (this.redis.status !== 'ready' || Date.now() < this.backOffUntil) {
      this.operations.inc({ operation, outcome: 'skipped' });
      return FAILED;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    try {
      return await Promise.race([command(this.redis), timeout]);
    } catch (error) {
      this.backOffUntil = Date.now() + BACK_OFF_MS;
      this.operations.inc({ operation, outcome: 'error' });
      this.warn(operation, error as Error);
      return FAILED;
    } finally {
      clearTimeout(timer);
    }
  }

  private warn(operation: CacheOperation, error: Error): void {
    if (Date.now() - this.lastWarningAt < WARNING_INTERVAL_MS) return;
    this.lastWarningAt = Date.now();
    this.logger.warn(`Item cache ${operation} failed (${error.message}); serving from Postgres`);
  }
}
