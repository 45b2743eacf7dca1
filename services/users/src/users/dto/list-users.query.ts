import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListUsersQuery {
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1_000_000_000 })
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @Max(1_000_000_000)
  @IsInt()
  skip = 0;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(100)
  @IsInt()
  limit = 100;
}
