import { Injectable } from '@nestjs/common';
import { OutboxService, type ShopEvent } from '@shop/shared';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { announcementEvents } from '../events/users.events';
import { ClockService } from './clock.service';

/**
 * Announcements keep no table: the event is the announcement. It still goes
 * through the outbox in a transaction, so a broker that is away delays it
 * instead of losing it, and the relay's confirms apply as to any event.
 */
@Injectable()
export class AnnouncementsService {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: ClockService,
  ) {}

  publish(message: string): Promise<ShopEvent<'announcement.published'>> {
    const announcement = { id: randomUUID(), message, publishedAt: this.clock.now() };
    return this.db.transaction((tx) => this.outbox.add(tx, announcementEvents.published(announcement)));
  }
}
