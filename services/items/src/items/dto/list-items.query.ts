import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@shop/shared';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/**
 * The list's query: the shared paging plus `q`, the FastAPI guide's "common
 * parameters" (`q`, `skip`, `limit`) as one class every list route takes.
 */
export class ListItemsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Only items whose name or description contains this text (case-insensitive)',
    minLength: 1,
    maxLength: 100,
    example: 'widget',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(100)
  @MinLength(1)
  @IsString()
  q?: string;
}
