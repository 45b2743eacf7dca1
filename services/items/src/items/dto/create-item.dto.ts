import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength, NotContains } from 'class-validator';
import { IsMoney, MONEY_RULE } from './is-money.decorator';

// Postgres text cannot hold U+0000; refusing it here keeps it a 400, not a 500.
const NUL = '\u0000';

/**
 * An item as a client describes it, for POST and for PUT (a full
 * replacement: a missing optional field becomes null). Unknown fields, such
 * as `id` or `ownerId`, are refused by the ValidationPipe.
 *
 * class-validator runs a property's rules bottom-up and reports only the
 * first that fails, so each property lists its type check last.
 */
export class CreateItemDto {
  @ApiProperty({ example: 'Espresso cup', minLength: 1, maxLength: 200 })
  @NotContains(NUL, { message: 'name must not contain NUL characters' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @Length(1, 200)
  @IsString()
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @NotContains(NUL, { message: 'description must not contain NUL characters' })
  @MaxLength(2000)
  @IsString()
  description?: string | null;

  @ApiProperty({ type: String, example: '12.50', description: MONEY_RULE })
  @IsMoney()
  price: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2.38', description: MONEY_RULE })
  @IsOptional()
  @IsMoney()
  tax?: string | null;
}
