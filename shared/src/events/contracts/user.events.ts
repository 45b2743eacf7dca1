import { z } from 'zod';

export const userEvents = {
  'user.registered': z.object({ userId: z.uuid(), username: z.string(), email: z.string() }).strict(),
  'user.disabled': z.object({ userId: z.uuid() }).strict(),
  'user.deleted': z.object({ userId: z.uuid() }).strict(),
};
