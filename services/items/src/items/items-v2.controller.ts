import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQuery, Scopes } from '@shop/shared';
import { ItemPageResponse } from './dto/item-page.response';
import { ItemResponse } from './dto/item.response';
import { ItemsService } from './items.service';

/**
 * Version 2 of the list: an envelope with the total, where v1 returns a bare
 * array. v1 stays as it was, so its clients keep working; the rest of the
 * API has no v2 because nothing else changed.
 */
@ApiTags('items')
@ApiBearerAuth()
@Controller('api/v2/items')
export class ItemsV2Controller {
  constructor(private readonly items: ItemsService) {}

  @Get()
  @Scopes('items:read')
  @ApiOkResponse({ type: ItemPageResponse })
  async list(@Query() query: PageQuery): Promise<ItemPageResponse> {
    const { items, total } = await this.items.page(query.skip, query.limit);
    return { data: items.map(ItemResponse.from), total, skip: query.skip, limit: query.limit };
  }
}
