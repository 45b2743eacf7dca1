import { ApiProperty } from '@nestjs/swagger';
import type { ShopEvent } from '@shop/shared';

/** An announcement accepted for delivery: what the sockets will receive, and its id. */
export class AnnouncementResponse {
  @ApiProperty({ format: 'uuid', description: 'The id of the announcement (the event’s aggregateId).' })
  id: string;

  @ApiProperty({ example: 'The shop closes for maintenance at 22:00 UTC.', maxLength: 500 })
  message: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T21:00:00.000Z' })
  publishedAt: string;

  static from(event: ShopEvent<'announcement.published'>): AnnouncementResponse {
    return { id: event.aggregateId, ...event.data };
  }
}
