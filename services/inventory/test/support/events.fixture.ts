import { randomUUID } from 'node:crypto';
import type { EventData, EventType, ShopEvent } from '@shop/shared';

const SOURCES = { item: 'items', order: 'orders' } as const;

/** An incoming event as the bus hands it to a handler: a full, valid envelope. */
export function eventOf<T extends EventType>(type: T, aggregateId: string, data: EventData<T>): ShopEvent<T> {
  return {
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: SOURCES[type.split('.')[0] as keyof typeof SOURCES],
    correlationId: `test-${randomUUID()}`,
    aggregateId,
    aggregateVersion: 1,
    data,
  } as ShopEvent<T>;
}

type Line = { itemId: string; quantity: number };

export const itemCreated = (itemId: string) =>
  eventOf('item.created', itemId, { itemId, name: 'Widget', price: '9.99', ownerId: randomUUID() });

export const itemDeleted = (itemId: string) => eventOf('item.deleted', itemId, { itemId });

export const orderPlaced = (orderId: string, lines: Line[]) =>
  eventOf('order.placed', orderId, {
    orderId,
    userId: randomUUID(),
    lines: lines.map((line) => ({ ...line, unitPrice: '1.00' })),
    total: `${lines.reduce((sum, line) => sum + line.quantity, 0)}.00`,
  });

export const orderCancelled = (orderId: string, lines: Line[]) =>
  eventOf('order.cancelled', orderId, {
    orderId,
    userId: randomUUID(),
    status: 'CANCELLED',
    reason: 'customer',
    lines,
  });
