import type { Redis } from 'ioredis';
import { Item } from '../item.entity';

/** Above any real version, so a deleted item's tombstone refuses every fill. */
export const DELETED_VERSION = Number.MAX_SAFE_INTEGER;

/** `v1`: the entry format; a deployment that changes it changes this, and never reads the old one. */
const keyOf = (id: string) => `item:v1:${id}`;

// Stores "<version>|<payload>" unless the key already holds a newer version.
// Redis runs it atomically, so writers and readers racing on one item always
// leave the newest version they know of.
const STORE_UNLESS_NEWER = `
local held = redis.call('GET', KEYS[1])
local version = held and tonumber(string.match(held, '^(%d+)|'))
if version and version > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1`;

/**
 * How the item cache keeps an item in Redis: one key per item, holding
 * `<version>|<item as JSON>`, or `<version>|` for a tombstone (the version a
 * change gave the item, which no older fill may replace).
 */
export const itemEntries = {
  /** The cached item; a tombstone or no entry is a miss. */
  async read(redis: Redis, id: string): Promise<Item | undefined> {
    return decode(await redis.get(keyOf(id)));
  },

  /** Caches the item; false when the entry already holds a newer version. */
  fill(redis: Redis, item: Item, ttlMs: number): Promise<boolean> {
    return store(redis, item.id, item.version, JSON.stringify(item), ttlMs);
  },

  /** Leaves a tombstone of `version` in the item's place, unless a newer one is there. */
  bury(redis: Redis, id: string, version: number, ttlMs: number): Promise<boolean> {
    return store(redis, id, version, '', ttlMs);
  },
};

async function store(redis: Redis, id: string, version: number, payload: string, ttlMs: number) {
  return (await redis.eval(STORE_UNLESS_NEWER, 1, keyOf(id), version, payload, ttlMs)) === 1;
}

function decode(entry: string | null): Item | undefined {
  const payload = entry?.slice(entry.indexOf('|') + 1);
  if (!payload) return undefined;
  const { createdAt, updatedAt, ...fields } = JSON.parse(payload) as Item;
  return Object.assign(new Item(), fields, {
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
  });
}
