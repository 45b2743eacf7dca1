import type { Type } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_TYPES, EventType, ShopEvent } from '../contracts';

/**
 * Handles one event type. `handle` runs inside the transaction that also
 * records the event in the inbox: write through `tx` only, and throw to have
 * the whole transaction rolled back and the event retried later.
 */
export interface EventHandler<T extends EventType = EventType> {
  handle(event: ShopEvent<T>, tx: EntityManager): Promise<void>;
}

/** Every event type a service consumes, mapped to its handler: a Nest provider class. */
export type Subscriptions = { readonly [T in EventType]?: Type<EventHandler<T>> };

/** Handler instances by event type (what the consumer runs). */
export type EventHandlers = { readonly [T in EventType]?: EventHandler<T> };

/**
 * Lists everything a service subscribes to, in one place
 * (`src/events/subscriptions.ts`). The handler classes must be providers of
 * one of the service's modules.
 *
 * @example
 * export const subscriptions = defineSubscriptions({
 *   'order.placed': OrderPlacedHandler,
 *   'order.cancelled': OrderCancelledHandler,
 * });
 */
export function defineSubscriptions<S extends Subscriptions>(subscriptions: S): S {
  for (const type of Object.keys(subscriptions)) {
    if (!(EVENT_TYPES as string[]).includes(type))
      throw new Error(`Cannot subscribe to unknown event type "${type}"`);
  }
  return Object.freeze(subscriptions);
}
