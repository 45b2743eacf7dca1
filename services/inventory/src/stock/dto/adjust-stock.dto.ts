import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';

export const MAX_ADJUSTMENT = 1_000_000;

export class AdjustStockDto {
  @ApiProperty({ example: 10, minimum: -MAX_ADJUSTMENT, maximum: MAX_ADJUSTMENT, description: 'non-zero' })
  @IsInt({ message: 'delta must be an integer' })
  @NotEquals(0, { message: 'delta must not be zero' })
  @Min(-MAX_ADJUSTMENT, { message: `delta must be at least -${MAX_ADJUSTMENT}` })
  @Max(MAX_ADJUSTMENT, { message: `delta must be at most ${MAX_ADJUSTMENT}` })
  delta: number;

  @ApiProperty({ example: 'delivery from supplier', minLength: 1, maxLength: 200 })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(200, { message: 'reason must be at most 200 characters' })
  reason: string;
}
