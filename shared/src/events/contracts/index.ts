import { z } from 'zod';
import { announcementEvents } from './announcement.events';
import { envelopeSchema, EventEnvelope, EventSource } from './envelope.events';
import { inventoryEvents } from './inventory.events';
import { itemEvents } from './item.events';
import { LATER_VERSIONS } from './later-versions.events';
import { orderEvents } from './order.events';
import { userEvents } from './user.events';

export * from './envelope.events';
export * from './later-versions.events';

/**
 * Every event type of the system and the schema of its `data`: the one
 * definition publishers and consumers both check against (version 1 of each;
 * see `LATER_VERSIONS` for a change under way).
 */
export const EVENT_SCHEMAS = {
  ...userEvents,
  ...itemEvents,
  ...orderEvents,
  ...inventoryEvents,
  ...announcementEvents,
};

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
export type ShopEvent<T extends EventType = EventType> = EventEnvelope<T, EventData<T>>;

export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

const SOURCE_OF_PREFIX: Record<string, EventSource> = {
  user: 'users',
  item: 'items',
  order: 'orders',
  inventory: 'inventory',
  // Announcements are made by admins, whom the users service knows.
  announcement: 'users',
};

/** The service allowed to publish an event type (`order.placed` → `orders`). */
export function sourceOf(type: EventType): EventSource {
  return SOURCE_OF_PREFIX[type.split('.')[0]];
}

/**
 * The schema of `data` in version `version` of an event type: version 1 is
 * the type's entry in `EVENT_SCHEMAS`, later ones come from `LATER_VERSIONS`.
 * Undefined when the bus knows no such version.
 */
export function dataSchemaOf(type: EventType, version: number): z.ZodType | undefined {
  return version === 1 ? EVENT_SCHEMAS[type] : LATER_VERSIONS[type]?.[version];
}

/** An event that breaks its envelope or its type's schema: never retried, dead-lettered at once. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/**
 * Checks a whole event against its envelope and its type's schema. Throws
 * `InvalidEventError` naming the first problem; a consumer dead-letters such a
 * message instead of retrying it.
 */
export function parseEvent(raw: unknown): ShopEvent {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success)
    throw new InvalidEventError(
      `envelope: ${envelope.error.issues[0].path.join('.')} ${envelope.error.issues[0].message}`,
    );
  // hasOwn, not a plain lookup: a type such as "constructor" must not find Object's prototype.
  if (!Object.hasOwn(EVENT_SCHEMAS, envelope.data.type)) {
    throw new InvalidEventError(`unknown event type ${envelope.data.type}`);
  }
  // An unknown version is refused, never read as another: its `data` may mean something else.
  const schema = dataSchemaOf(envelope.data.type as EventType, envelope.data.version);
  if (!schema) {
    throw new InvalidEventError(`${envelope.data.type}: version ${envelope.data.version} is not known here`);
  }
  const data = schema.safeParse(envelope.data.data);
  if (!data.success)
    throw new InvalidEventError(
      `${envelope.data.type}: data.${data.error.issues[0].path.join('.')} ${data.error.issues[0].message}`,
    );
  if (envelope.data.source !== sourceOf(envelope.data.type as EventType)) {
    throw new InvalidEventError(`${envelope.data.type} may not come from ${envelope.data.source}`);
  }
  return { ...envelope.data, data: data.data } as ShopEvent;
}
