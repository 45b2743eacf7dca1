import { ApiProperty } from '@nestjs/swagger';
import { ItemResponse } from './item.response';

/** API v2's list: the page plus what a client needs to page on. */
export class ItemPageResponse {
  @ApiProperty({ type: [ItemResponse] }) data: ItemResponse[];
  @ApiProperty({ description: 'Items in the whole catalogue' }) total: number;
  @ApiProperty() skip: number;
  @ApiProperty() limit: number;
}
