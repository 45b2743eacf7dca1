import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

// The bounds of `announcement.published` in @shop/shared's contracts: a longer
// message would pass here and then be refused by the outbox, as a 500.
export const MESSAGE_MIN_LENGTH = 1;
export const MESSAGE_MAX_LENGTH = 500;

/** What an admin announces. class-validator runs bottom-up: the type check first. */
export class PublishAnnouncementDto {
  @ApiProperty({
    description: 'The text every open WebSocket receives, as it is written.',
    minLength: MESSAGE_MIN_LENGTH,
    maxLength: MESSAGE_MAX_LENGTH,
    example: 'The shop closes for maintenance at 22:00 UTC.',
  })
  @MaxLength(MESSAGE_MAX_LENGTH, { message: `message must be at most ${MESSAGE_MAX_LENGTH} characters` })
  @MinLength(MESSAGE_MIN_LENGTH, { message: 'message must not be empty' })
  @IsString({ message: 'message must be a string' })
  message: string;
}
