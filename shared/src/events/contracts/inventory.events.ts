import { z } from 'zod';

const quantities = z
  .array(z.object({ itemId: z.uuid(), quantity: z.number().int().positive() }).strict())
  .min(1);

export const inventoryEvents = {
  'inventory.reserved': z.object({ orderId: z.uuid(), lines: quantities }).strict(),
  'inventory.rejected': z
    .object({
      orderId: z.uuid(),
      reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_ITEM']),
      itemId: z.uuid().optional(),
    })
    .strict(),
  'inventory.released': z.object({ orderId: z.uuid(), lines: quantities }).strict(),
  'inventory.low_stock': z
    .object({
      itemId: z.uuid(),
      available: z.number().int().nonnegative(),
      threshold: z.number().int().positive(),
    })
    .strict(),
};
