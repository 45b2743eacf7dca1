// One valid event of every type, and ways to break one: what the contract suites
// check the AsyncAPI document, the bus and the consumers against.
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, EventData, EventType, ShopEvent, sourceOf } from '../src/events/contracts';

const id = () => randomUUID();
const lines = () => [{ itemId: id(), quantity: 2 }];

/** A `data` of each type; the mapped type makes a new event type fail to compile until it has one. */
const DATA: { [T in EventType]: () => EventData<T> } = {
  'user.registered': () => ({ userId: id(), username: 'ada', email: 'ada@example.com' }),
  'user.disabled': () => ({ userId: id() }),
  'user.deleted': () => ({ userId: id() }),
  'item.created': () => ({ itemId: id(), name: 'Lamp', price: '12.50', ownerId: id() }),
  'item.updated': () => ({ itemId: id(), name: 'Lamp', price: '13.00', ownerId: id() }),
  'item.deleted': () => ({ itemId: id() }),
  'order.placed': () => ({
    orderId: id(),
    userId: id(),
    lines: [{ itemId: id(), quantity: 2, unitPrice: '12.50' }],
    total: '25.00',
  }),
  'order.confirmed': () => ({ orderId: id(), userId: id(), status: 'CONFIRMED' }),
  'order.rejected': () => ({ orderId: id(), userId: id(), status: 'REJECTED', reason: 'OUT_OF_STOCK' }),
  'order.cancelled': () => ({
    orderId: id(),
    userId: id(),
    status: 'CANCELLED',
    reason: 'changed my mind',
    lines: lines(),
  }),
  'inventory.reserved': () => ({ orderId: id(), lines: lines() }),
  'inventory.rejected': () => ({ orderId: id(), reason: 'OUT_OF_STOCK', itemId: id() }),
  'inventory.released': () => ({ orderId: id(), lines: lines() }),
  'inventory.low_stock': () => ({ itemId: id(), available: 3, threshold: 5 }),
  'announcement.published': () => ({ message: 'Back at 22:00', publishedAt: new Date().toISOString() }),
};

/** A valid event of `type`, as its publisher would send it. */
export function sampleEvent<T extends EventType>(type: T, data: EventData<T> = DATA[type]()): ShopEvent<T> {
  return {
    id: id(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: sourceOf(type),
    correlationId: `contract-${id()}`,
    aggregateId: id(),
    aggregateVersion: 1,
    data,
  };
}

export const SAMPLES = EVENT_TYPES.map((type) => sampleEvent(type));

type Json = Record<string, unknown>;

/**
 * Variants of a valid event, each named, most of them invalid: every `data`
 * field missing, of the wrong type, or emptied; an unexpected field; and
 * envelope fields out of range. The document and the bus must judge each alike.
 */
export function variantsOf(event: ShopEvent): [string, Json][] {
  const data = event.data as Json;
  const withData = (changed: Json): Json => ({ ...event, data: changed });
  const variants: [string, Json][] = [['as sent', event as unknown as Json]];
  for (const [key, value] of Object.entries(data)) {
    const { [key]: _dropped, ...rest } = data;
    variants.push([`without data.${key}`, withData(rest)]);
    variants.push([
      `data.${key} of another type`,
      withData({ ...data, [key]: typeof value === 'string' ? 42 : 'x' }),
    ]);
    if (Array.isArray(value)) variants.push([`data.${key} empty`, withData({ ...data, [key]: [] })]);
    if (typeof value === 'string') variants.push([`data.${key} empty`, withData({ ...data, [key]: '' })]);
  }
  variants.push(['an unexpected data field', withData({ ...data, unexpected: true })]);
  variants.push(['no data', { ...event, data: undefined }]);
  variants.push(['version 0', { ...event, version: 0 }]);
  variants.push(['another source', { ...event, source: event.source === 'users' ? 'items' : 'users' }]);
  variants.push(['a bad id', { ...event, id: 'not-a-uuid' }]);
  variants.push(['occurredAt without a zone', { ...event, occurredAt: '2024-01-01T10:00:00' }]);
  variants.push(['an empty correlationId', { ...event, correlationId: '' }]);
  variants.push(['a negative aggregateVersion', { ...event, aggregateVersion: -1 }]);
  variants.push(['an extra envelope field', { ...event, extra: 1 }]);
  return variants;
}

/** A copy of `event` that no consumer may accept: a required `data` field taken out. */
export function malformed(event: ShopEvent): Json {
  const [first, ...others] = Object.keys(event.data as Json);
  const data = Object.fromEntries(others.map((key) => [key, (event.data as Json)[key]]));
  return { ...event, data: first === undefined ? 'not an object' : data };
}
