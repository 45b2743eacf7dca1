import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, PageQuery, Scopes, UuidParam } from '@shop/shared';
import { CreateItemDto } from './dto/create-item.dto';
import { ItemResponse } from './dto/item.response';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiBearerAuth()
@Controller('api/v1/items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  @Scopes('items:read')
  @ApiOkResponse({ type: [ItemResponse] })
  async list(@Query() query: PageQuery): Promise<ItemResponse[]> {
    return (await this.items.page(query.skip, query.limit)).items.map(ItemResponse.from);
  }

  @Get(':id')
  @Scopes('items:read')
  @ApiOkResponse({ type: ItemResponse })
  async get(@UuidParam() id: string): Promise<ItemResponse> {
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
  async replace(@UuidParam() id: string, @Body() dto: CreateItemDto): Promise<ItemResponse> {
    return ItemResponse.from(await this.items.replace(id, dto));
  }

  @Delete(':id')
  @Scopes('items:write')
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(@UuidParam() id: string): Promise<void> {
    return this.items.delete(id);
  }
}
