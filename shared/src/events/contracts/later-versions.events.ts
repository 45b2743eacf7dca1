import type { z } from 'zod';
import type { EventType } from './index';

/**
 * The versions after the first of an event type's `data`, while a change is
 * rolled out (docs/architecture.md, "Changing an event"): `{ 'item.updated':
 * { 2: schema } }` makes consumers accept version 2 beside version 1, which
 * stays in `EVENT_SCHEMAS` until no version 1 event can still be in flight.
 * Empty while no change is under way.
 */
export const LATER_VERSIONS: { [T in EventType]?: Record<number, z.ZodType> } = {};
