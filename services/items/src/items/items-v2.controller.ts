import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '@shop/shared';
import { ItemPageResponse } from './dto/item-page.response';
import { ListItemsQuery } from './dto/list-items.query';
import { ItemResponse } from './dto/item.response';
import { ItemsService } from './items.service';

/**
 * Version 2 of the list: an envelope with the total, where v1 returns a bare
 * array. v1 stays as it was, so its clients keep working; the rest of the
 * API has no v2 because nothing else changed.
 */
@ApiTags('items')
@Controller('api/v2/items')
export class ItemsV2Controller {
  constructor(private readonly items: ItemsService) {}

  @Get()
  @Scopes('items:read')
  @ApiOperation({
    summary: 'List items with the total',
    description:
      'The page of `GET /api/v1/items` in an envelope: `data`, the `total` of the whole catalogue, ' +
      'and the `skip` and `limit` it answers, so a client can tell when it has read everything.',
  })
  @ApiOkResponse({ type: ItemPageResponse })
  async list(@Query() query: ListItemsQuery): Promise<ItemPageResponse> {
    const { items, total } = await this.items.page(query.skip, query.limit, query.q);
    return { data: items.map(ItemResponse.from), total, skip: query.skip, limit: query.limit };
  }
}
