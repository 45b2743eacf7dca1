import { Module } from '@nestjs/common';
import { AnnouncementsController } from './announcements.controller';
import { AnnouncementsService } from './announcements.service';
import { ClockService } from './clock.service';

/** `POST /api/v1/announcements`: the outbox and the DataSource come from the app's global modules. */
@Module({
  controllers: [AnnouncementsController],
  providers: [AnnouncementsService, ClockService],
})
export class AnnouncementsModule {}
