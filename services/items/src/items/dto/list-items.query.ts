import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Rules run bottom-up, the first failure is reported: the integer check comes last so it speaks first. */
export class ListItemsQuery {
  // Bounded so an absurd offset is a 400 here rather than an out-of-range error in Postgres.
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1_000_000_000 })
  @IsOptional()
  @Type(() => Number)
  @Max(1_000_000_000)
  @Min(0)
  @IsInt()
  skip = 0;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @Max(100)
  @Min(1)
  @IsInt()
  limit = 100;
}
