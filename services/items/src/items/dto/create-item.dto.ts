import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength, NotContains } from 'class-validator';
import { IsMoney, moneyInputSchema } from './is-money.decorator';

// Postgres text cannot hold U+0000; refusing it here keeps it a 400, not a 500.
const NUL = '\u0000';

// The same rules as patterns, for OpenAPI: no NUL anywhere, and (for a name)
// at least one character that is neither blank nor NUL. The spec beside this
// file holds them to the validators.
export const NO_NUL_PATTERN = '^[^\\u0000]*$';
export const NAME_PATTERN = '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$';

/**
 * An item as a client describes it, for POST and for PUT (a full
 * replacement: a missing optional field becomes null). Unknown fields, such
 * as `id` or `ownerId`, are refused by the ValidationPipe.
 *
 * class-validator runs a property's rules bottom-up and reports only the
 * first that fails, so each property lists its type check last.
 */
@ApiSchema({
  description:
    'An item as a client describes it. On PUT a missing optional field becomes null; ' +
    'any other field (`id`, `ownerId`, …) is refused with a 400.',
})
export class CreateItemDto {
  @ApiProperty({ example: 'Espresso cup', minLength: 1, maxLength: 200, pattern: NAME_PATTERN })
  @NotContains(NUL, { message: 'name must not contain NUL characters' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @Length(1, 200)
  @IsString()
  name: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 2000,
    pattern: NO_NUL_PATTERN,
    example: 'Porcelain, 80 ml, dishwasher-safe.',
  })
  @IsOptional()
  @NotContains(NUL, { message: 'description must not contain NUL characters' })
  @MaxLength(2000)
  @IsString()
  description?: string | null;

  @ApiProperty({ ...moneyInputSchema({ nullable: false }), example: '12.50' })
  @IsMoney()
  price: string;

  @ApiPropertyOptional({ ...moneyInputSchema({ nullable: true }), example: '2.38' })
  @IsOptional()
  @IsMoney()
  tax?: string | null;
}
