import type { NewEvent } from '@shop/shared';
import type { User } from '../users/user.entity';

/** The events the users service publishes; `version` orders them per user. */
export const userEvents = {
  registered: (user: User): NewEvent<'user.registered'> => ({
    type: 'user.registered',
    aggregateId: user.id,
    aggregateVersion: user.version,
    data: { userId: user.id, username: user.username, email: user.email },
  }),
  disabled: (user: User): NewEvent<'user.disabled'> => ({
    type: 'user.disabled',
    aggregateId: user.id,
    aggregateVersion: user.version,
    data: { userId: user.id },
  }),
  deleted: (user: User): NewEvent<'user.deleted'> => ({
    type: 'user.deleted',
    aggregateId: user.id,
    // The row is gone; the deletion is one change after its last version.
    aggregateVersion: user.version + 1,
    data: { userId: user.id },
  }),
};

/** An announcement is its own aggregate, published once: version 1. */
export const announcementEvents = {
  published: (announcement: {
    id: string;
    message: string;
    publishedAt: Date;
  }): NewEvent<'announcement.published'> => ({
    type: 'announcement.published',
    aggregateId: announcement.id,
    aggregateVersion: 1,
    data: { message: announcement.message, publishedAt: announcement.publishedAt.toISOString() },
  }),
};
