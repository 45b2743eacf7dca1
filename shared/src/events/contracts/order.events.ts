import { z } from 'zod';
import { money } from './envelope.events';

const line = z.object({ itemId: z.uuid(), quantity: z.number().int().positive(), unitPrice: money }).strict();
const quantities = z
  .array(z.object({ itemId: z.uuid(), quantity: z.number().int().positive() }).strict())
  .min(1);

export const orderEvents = {
  'order.placed': z
    .object({ orderId: z.uuid(), userId: z.uuid(), lines: z.array(line).min(1), total: money })
    .strict(),
  'order.confirmed': z
    .object({ orderId: z.uuid(), userId: z.uuid(), status: z.literal('CONFIRMED') })
    .strict(),
  'order.rejected': z
    .object({ orderId: z.uuid(), userId: z.uuid(), status: z.literal('REJECTED'), reason: z.string() })
    .strict(),
  'order.cancelled': z
    .object({
      orderId: z.uuid(),
      userId: z.uuid(),
      status: z.literal('CANCELLED'),
      reason: z.string(),
      lines: quantities,
    })
    .strict(),
};
