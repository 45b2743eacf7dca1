import type { EventType } from '../contracts';

/**
 * What each consuming service subscribes to, for the AsyncAPI document that
 * the gateway serves without access to the services' code. The source of
 * truth is each service's `src/events/<service>.subscriptions.ts`;
 * shared/test/asyncapi.e2e-spec.ts fails when this list and those files differ.
 */
export const SERVICE_RECEIVERS: Readonly<Record<string, readonly EventType[]>> = {
  orders: ['inventory.reserved', 'inventory.rejected'],
  inventory: ['item.created', 'item.deleted', 'order.placed', 'order.cancelled'],
};
