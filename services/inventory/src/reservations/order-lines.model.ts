export interface OrderLine {
  itemId: string;
  quantity: number;
}

/**
 * One line per item, sorted by item id. Every transaction that touches
 * several stock rows locks them in this one order, so two orders over the
 * same items can never each hold a row the other waits for (no deadlock).
 * Lower-case hex sorts as Postgres sorts uuids, byte by byte.
 */
export function inLockOrder(lines: readonly OrderLine[]): OrderLine[] {
  const merged = new Map<string, number>();
  for (const { itemId, quantity } of lines) {
    const id = itemId.toLowerCase();
    merged.set(id, (merged.get(id) ?? 0) + quantity);
  }
  return [...merged]
    .map(([itemId, quantity]) => ({ itemId, quantity }))
    .sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}
