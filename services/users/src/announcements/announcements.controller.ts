import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Scopes } from '@shop/shared';
import { AnnouncementsService } from './announcements.service';
import { AnnouncementResponse } from './dto/announcement.response';
import { PublishAnnouncementDto } from './dto/publish-announcement.dto';

// Its security (OAuth2, users:write) and the 401/403/400 problems come from @Scopes, through the document.
@ApiTags('announcements')
@Controller('api/v1/announcements')
export class AnnouncementsController {
  constructor(private readonly announcements: AnnouncementsService) {}

  // 202, not 201: nothing is created here to fetch later; the pushes happen after the answer.
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Scopes('users:write')
  @ApiOperation({
    summary: 'Announce to every open WebSocket',
    description:
      'Writes `announcement.published` through the users outbox; every gateway replica pushes ' +
      '`{type: "announcement", data: {message, publishedAt}}` to each of its open sockets. ' +
      'Best effort: a client that is not connected at that moment does not receive it later.',
  })
  @ApiAcceptedResponse({ type: AnnouncementResponse, description: 'Accepted for delivery' })
  @ApiProblems([415, 'The body is of a content type the service does not read; send `application/json`.'])
  async publish(@Body() dto: PublishAnnouncementDto): Promise<AnnouncementResponse> {
    return AnnouncementResponse.from(await this.announcements.publish(dto.message));
  }
}
