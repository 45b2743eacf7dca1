import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The deepest offset a list accepts: deeper pages are slow and never what a reader wants. */
export const MAX_SKIP = 100_000;
/** The most rows one page holds, and the default. */
export const MAX_LIMIT = 100;

/**
 * `?skip=&limit=` of every list, counted in the resources the list returns.
 * Out-of-range values are a 400 naming the field, never a database error.
 * Rules run bottom-up and the first failure is reported, so the integer check
 * comes last and speaks first.
 */
export class PageQuery {
  @ApiPropertyOptional({
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: MAX_SKIP,
    description: 'Resources to pass over',
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_SKIP)
  @Min(0)
  @IsInt()
  skip = 0;

  @ApiPropertyOptional({
    type: 'integer',
    default: MAX_LIMIT,
    minimum: 1,
    maximum: MAX_LIMIT,
    description: 'Resources per page',
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_LIMIT)
  @Min(1)
  @IsInt()
  limit = MAX_LIMIT;
}
