import type { StockLevels } from '../stock/stock-levels.model';
import type { NewEvent } from '@shop/shared';

type Lines = { itemId: string; quantity: number }[];

/**
 * The events inventory publishes, and what each is an event of. Reservation
 * outcomes belong to the order (its reservation is created once, version 1,
 * and released once, version 2); low stock belongs to the item, versioned by
 * its stock row.
 */
export const inventoryEvents = {
  reserved: (orderId: string, lines: Lines, correlationId: string): NewEvent<'inventory.reserved'> => ({
    type: 'inventory.reserved',
    aggregateId: orderId,
    aggregateVersion: 1,
    data: { orderId, lines },
    correlationId,
  }),

  rejected: (
    orderId: string,
    reason: 'OUT_OF_STOCK' | 'UNKNOWN_ITEM',
    itemId: string,
    correlationId: string,
  ): NewEvent<'inventory.rejected'> => ({
    type: 'inventory.rejected',
    aggregateId: orderId,
    aggregateVersion: 1,
    data: { orderId, reason, itemId },
    correlationId,
  }),

  released: (orderId: string, lines: Lines, correlationId: string): NewEvent<'inventory.released'> => ({
    type: 'inventory.released',
    aggregateId: orderId,
    aggregateVersion: 2,
    data: { orderId, lines },
    correlationId,
  }),

  lowStock: (
    levels: StockLevels,
    threshold: number,
    correlationId: string,
  ): NewEvent<'inventory.low_stock'> => ({
    type: 'inventory.low_stock',
    aggregateId: levels.itemId,
    aggregateVersion: levels.version,
    data: { itemId: levels.itemId, available: levels.available, threshold },
    correlationId,
  }),
};
