import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpMetrics, REDIS } from '@shop/shared';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { ITEMS_CONFIG, type ItemsConfig } from '../../items.config';
import type { Item } from '../item.entity';
import { FailSoftRedisService, FAILED } from './fail-soft-redis.service';
import { DELETED_VERSION, itemEntries } from './item-entry.model';

/** A row loaded longer ago than this is not cached: its tombstone might have expired meanwhile. */
const FILL_DEADLINE_MS = 5_000;

/**
 * A read-through cache of single items in Redis, shared by every replica.
 *
 * Why versions: deleting the key on a write is not enough. A reader that
 * loaded the old row just before the write commits can store it just after
 * the writer deleted the key, and the stale row then lives for the whole TTL.
 * So a write leaves a tombstone holding the item's new version, and every
 * store goes through one script that refuses to replace a newer version: that
 * late reader's fill is refused. Tombstones live as long as entries, and a
 * fill whose load started more than FILL_DEADLINE_MS ago is dropped, so no
 * fill can outlive the tombstone that would have refused it.
 *
 * The writer calls `invalidate` after its commit and before it answers, so a
 * read that starts after a write's response sees that write.
 *
 * Redis may be away (see FailSoftRedisService). A tombstone it did not take is kept
 * here and written again before this replica next uses that item's entry,
 * and as soon as Redis reconnects.
 */
@Injectable()
export class ItemCacheStore implements OnModuleInit {
  private readonly commands: FailSoftRedisService;
  private readonly operations: Counter<'operation' | 'outcome'>;
  private readonly ttlMs: number;
  /** Tombstones Redis has not confirmed: item id → the version to write, and since when. */
  private readonly unconfirmed = new Map<string, { version: number; since: number }>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ITEMS_CONFIG) config: ItemsConfig,
    metrics: HttpMetrics,
  ) {
    this.ttlMs = config.ITEM_CACHE_TTL;
    this.operations = new Counter({
      name: 'item_cache_operations_total',
      help: 'Item cache operations by outcome: hit, miss, stored, refused (a newer version is cached), done, skipped (Redis away), error',
      labelNames: ['operation', 'outcome'],
      registers: [metrics.registry],
    });
    this.commands = new FailSoftRedisService(redis, this.operations, new Logger(ItemCacheStore.name));
  }

  onModuleInit(): void {
    this.redis.on('ready', () => void this.confirmAll());
  }

  /** The item, from the cache or else from `load`, whose result is then cached. */
  async read(id: string, load: () => Promise<Item | null>): Promise<Item | null> {
    const cached = await this.get(id);
    if (cached) return cached;
    const loadStartedAt = Date.now();
    const item = await load();
    if (item && Date.now() - loadStartedAt < FILL_DEADLINE_MS) await this.fill(item);
    return item;
  }

  /** After a committed change that gave the item `version`. */
  async invalidate(id: string, version: number): Promise<void> {
    const pending = this.unconfirmed.get(id);
    this.unconfirmed.set(id, { version: Math.max(version, pending?.version ?? 0), since: Date.now() });
    await this.confirm(id);
  }

  /** After a committed deletion. */
  invalidateDeleted(id: string): Promise<void> {
    return this.invalidate(id, DELETED_VERSION);
  }

  private async get(id: string): Promise<Item | undefined> {
    if (!(await this.confirm(id))) {
      this.operations.inc({ operation: 'get', outcome: 'skipped' });
      return undefined;
    }
    const item = await this.commands.run('get', (redis) => itemEntries.read(redis, id));
    if (item === FAILED) return undefined;
    this.operations.inc({ operation: 'get', outcome: item ? 'hit' : 'miss' });
    return item;
  }

  private async fill(item: Item): Promise<void> {
    if (this.unconfirmed.has(item.id)) return;
    const stored = await this.commands.run('fill', (redis) => itemEntries.fill(redis, item, this.ttlMs));
    if (stored !== FAILED) this.operations.inc({ operation: 'fill', outcome: stored ? 'stored' : 'refused' });
  }

  /** Writes the item's pending tombstone, if any; false while Redis has not taken it. */
  private async confirm(id: string): Promise<boolean> {
    const pending = this.unconfirmed.get(id);
    if (!pending) return true;
    // Past this age every entry written before the change has expired by itself.
    if (Date.now() - pending.since > this.ttlMs + FILL_DEADLINE_MS) {
      this.unconfirmed.delete(id);
      return true;
    }
    const written = await this.commands.run('invalidate', (redis) =>
      itemEntries.bury(redis, id, pending.version, this.ttlMs),
    );
    if (written === FAILED) return false;
    this.operations.inc({ operation: 'invalidate', outcome: 'done' });
    // A newer change may have come in meanwhile; its tombstone is still due.
    if (this.unconfirmed.get(id) === pending) this.unconfirmed.delete(id);
    return true;
  }

  private async confirmAll(): Promise<void> {
    for (const id of [...this.unconfirmed.keys()]) await this.confirm(id);
  }
}
