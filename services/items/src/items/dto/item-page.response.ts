import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MAX_LIMIT, MAX_SKIP } from '@shop/shared';
import { ItemResponse } from './item.response';

/** API v2's list: the page plus what a client needs to page on. */
@ApiSchema({
  description: 'A page of items in creation order, with what a client needs to ask for the next.',
})
export class ItemPageResponse {
  @ApiProperty({ type: [ItemResponse], maxItems: MAX_LIMIT, description: 'At most `limit` items' })
  data: ItemResponse[];

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    // Postgres counts in bigint; JSON numbers are exact up to 2^53 - 1.
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Items in the whole catalogue (or matching `q`)',
    example: 42,
  })
  total: number;

  @ApiProperty({
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: MAX_SKIP,
    description: 'The `skip` asked for',
    example: 0,
  })
  skip: number;

  @ApiProperty({
    type: 'integer',
    format: 'int32',
    minimum: 1,
    maximum: MAX_LIMIT,
    description: 'The `limit` asked for',
    example: 100,
  })
  limit: number;
}
