import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Scopes } from '@shop/shared';
import { CreateItemDto } from './dto/create-item.dto';
import { ItemResponse } from './dto/item.response';
import { ListItemsQuery } from './dto/list-items.query';
import { ItemIdParam } from './item-id.decorator';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiBearerAuth()
@Controller('api/v1/items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  @Scopes('items:read')
  @ApiOkResponse({ type: [ItemResponse] })
  async list(@Query() query: ListItemsQuery): Promise<ItemResponse[]> {
    return (await this.items.page(query.skip, query.limit)).items.map(ItemResponse.from);
  }

  @Get(':id')
  @Scopes('items:read')
  @ApiOkResponse({ type: ItemResponse })
  async get(@ItemIdParam() id: string): Promise<ItemResponse> {
    return ItemResponse.from(await this.items.get(id));
  }

  @Post()
  @Scopes('items:write')
  @ApiCreatedResponse({ type: ItemResponse })
  async create(@CurrentUser() owner: AuthenticatedUser, @Body() dto: CreateItemDto): Promise<ItemResponse> {
    return ItemResponse.from(await this.items.create(owner, dto));
  }

  @Put(':id')
  @Scopes('items:write')
  @ApiOkResponse({ type: ItemResponse })
  async replace(@ItemIdParam() id: string, @Body() dto: CreateItemDto): Promise<ItemResponse> {
    return ItemResponse.from(await this.items.replace(id, dto));
  }

  @Delete(':id')
  @Scopes('items:write')
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(@ItemIdParam() id: string): Promise<void> {
    return this.items.delete(id);
  }
}
