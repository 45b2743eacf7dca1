import { z } from 'zod';
import { MONEY_PATTERN } from '../../money/money.model';

/** The services that publish events; each may publish only its own types (`user.*` by users, …). */
export const EVENT_SOURCES = ['users', 'items', 'orders', 'inventory'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** A decimal amount of money with two places, as a string ("12.50"): never a binary float. */
export const money = z.string().regex(MONEY_PATTERN, 'must be a decimal string with two places');

/**
 * The envelope of every event. `aggregateVersion` increases with every change
 * of the aggregate, so a consumer can ignore an event older than what it holds.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  source: z.enum(EVENT_SOURCES),
  correlationId: z.string().min(1).max(128),
  aggregateId: z.string().min(1),
  aggregateVersion: z.number().int().nonnegative(),
  data: z.unknown(),
});

export type EventEnvelope<T extends string = string, D = unknown> = Omit<
  z.infer<typeof envelopeSchema>,
  'type' | 'data'
> & {
  type: T;
  data: D;
};
