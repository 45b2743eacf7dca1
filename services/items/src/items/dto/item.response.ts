import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MONEY_PATTERN } from '@shop/shared';
import type { Item } from '../item.entity';
import { NAME_PATTERN, NO_NUL_PATTERN } from './create-item.dto';
import { MONEY_MAX_LENGTH } from './is-money.decorator';

// The lengths of what the fields hold: a UUID's text and Date.toISOString().
const UUID = { format: 'uuid', minLength: 36, maxLength: 36 } as const;
const TIMESTAMP = { format: 'date-time', maxLength: 24 } as const;
const MONEY = { pattern: MONEY_PATTERN.source, maxLength: MONEY_MAX_LENGTH } as const;

@ApiSchema({ description: 'An item of the catalogue, as the service stores it.' })
export class ItemResponse {
  @ApiProperty({ ...UUID, example: '6f1c2b7e-2f0a-4c3e-9a51-0d5b1f3c9e42' })
  id: string;

  @ApiProperty({ minLength: 1, maxLength: 200, pattern: NAME_PATTERN, example: 'Espresso cup' })
  name: string;

  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: 2000,
    pattern: NO_NUL_PATTERN,
    example: 'Porcelain, 80 ml, dishwasher-safe.',
  })
  description: string | null;

  @ApiProperty({ ...MONEY, description: 'Two decimals, always', example: '12.50' })
  price: string;

  @ApiProperty({ type: String, nullable: true, ...MONEY, example: '2.38' })
  tax: string | null;

  @ApiProperty({
    ...UUID,
    description: 'The user who created the item',
    example: '0d5b1f3c-9e42-4c3e-9a51-6f1c2b7e2f0a',
  })
  ownerId: string;

  @ApiProperty({ ...TIMESTAMP, example: '2026-01-15T09:30:00.000Z' })
  createdAt: string;

  @ApiProperty({
    ...TIMESTAMP,
    description: 'Moves on with every change, the image included',
    example: '2026-01-15T09:30:00.000Z',
  })
  updatedAt: string;

  static from(item: Item): ItemResponse {
    return {
      id: item.id,
      name: item.name,
      description: item.description,
      price: item.price,
      tax: item.tax,
      ownerId: item.ownerId,
      createdAt: item.createdAt.toISOString(),
      updatedAt: item.updatedAt.toISOString(),
    };
  }
}
