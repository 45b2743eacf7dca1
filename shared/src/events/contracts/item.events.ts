import { z } from 'zod';
import { money } from './envelope.events';

const item = { itemId: z.uuid(), name: z.string(), price: money, ownerId: z.uuid() };

export const itemEvents = {
  'item.created': z.object(item).strict(),
  'item.updated': z.object(item).strict(),
  'item.deleted': z.object({ itemId: z.uuid() }).strict(),
};
