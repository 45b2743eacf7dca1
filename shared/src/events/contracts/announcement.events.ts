import { z } from 'zod';

/** The bounds of an announcement's text: what a toast or banner on a client can show. */
export const ANNOUNCEMENT_MESSAGE = { minLength: 1, maxLength: 500 } as const;

/**
 * Published by the users service when an admin announces something; every
 * gateway replica pushes it to every open socket as `announcement`.
 */
export const announcementEvents = {
  'announcement.published': z
    .object({
      message: z.string().min(ANNOUNCEMENT_MESSAGE.minLength).max(ANNOUNCEMENT_MESSAGE.maxLength),
      publishedAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
};
