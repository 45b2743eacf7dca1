import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiProblems, AuthenticatedUser, CurrentUser, MAX_LIMIT, Scopes, UuidParam } from '@shop/shared';
import { CreateItemDto } from './dto/create-item.dto';
import { ListItemsQuery } from './dto/list-items.query';
import { ItemResponse } from './dto/item.response';
import { ApiItemId } from './item-id.decorator';
import { ItemsService } from './items.service';

// What every body-reading operation may also answer, before any field is read.
const BODY_PROBLEMS: Parameters<typeof ApiProblems> = [
  [413, 'The body is larger than the service accepts (`BODY_LIMIT_BYTES`, 1 MiB by default).'],
  [415, 'The body is of a content type the service does not read; send `application/json`.'],
];
const NOT_FOUND: [404, string] = [404, 'No such item (`ITEM.NOT_FOUND`).'];

const ITEM_EXAMPLES = {
  full: {
    summary: 'Every field',
    value: { name: 'Espresso cup', description: 'Porcelain, 80 ml.', price: '12.50', tax: '2.38' },
  },
  minimal: {
    summary: 'Only what is required; a number for the price',
    value: { name: 'Saucer', price: 4.5 },
  },
};

@ApiTags('items')
@Controller('api/v1/items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  @Scopes('items:read')
  @ApiOperation({
    summary: 'List items',
    description:
      'A page of the catalogue in creation order, as a bare array; `GET /api/v2/items` adds the total. ' +
      'Always read from Postgres, never from the cache.',
  })
  @ApiExtraModels(ItemResponse)
  @ApiOkResponse({
    description: 'At most `limit` items',
    schema: { type: 'array', items: { $ref: getSchemaPath(ItemResponse) }, maxItems: MAX_LIMIT },
  })
  async list(@Query() query: ListItemsQuery): Promise<ItemResponse[]> {
    return (await this.items.page(query.skip, query.limit, query.q)).items.map(ItemResponse.from);
  }

  @Get(':id')
  @Scopes('items:read')
  @ApiItemId()
  @ApiOperation({
    summary: 'Get an item',
    description:
      'Read through a Redis cache shared by every replica; a change is visible to the next read. ' +
      'While Redis is away items are read from Postgres.',
  })
  @ApiOkResponse({ type: ItemResponse })
  @ApiProblems(NOT_FOUND)
  async get(@UuidParam() id: string): Promise<ItemResponse> {
    return ItemResponse.from(await this.items.get(id));
  }

  @Post()
  @Scopes('items:write')
  @ApiOperation({
    summary: 'Create an item',
    description: 'The caller becomes its owner. Publishes `item.created`.',
  })
  @ApiBody({ type: CreateItemDto, examples: ITEM_EXAMPLES })
  @ApiCreatedResponse({ type: ItemResponse, description: 'The item as stored, money in two decimals' })
  @ApiProblems(...BODY_PROBLEMS)
  async create(@CurrentUser() owner: AuthenticatedUser, @Body() dto: CreateItemDto): Promise<ItemResponse> {
    return ItemResponse.from(await this.items.create(owner, dto));
  }

  @Put(':id')
  @Scopes('items:write')
  @ApiItemId()
  @ApiOperation({
    summary: 'Replace an item',
    description:
      'A full replacement: an optional field left out becomes null; the owner stays. ' +
      'Publishes `item.updated`.',
  })
  @ApiBody({ type: CreateItemDto, examples: ITEM_EXAMPLES })
  @ApiOkResponse({ type: ItemResponse, description: 'The item after the change' })
  @ApiProblems(NOT_FOUND, ...BODY_PROBLEMS)
  async replace(@UuidParam() id: string, @Body() dto: CreateItemDto): Promise<ItemResponse> {
    return ItemResponse.from(await this.items.replace(id, dto));
  }

  @Delete(':id')
  @Scopes('items:write')
  @HttpCode(204)
  @ApiItemId()
  @ApiOperation({
    summary: 'Delete an item',
    description: 'Deletes the item and its image. Publishes `item.deleted`.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(NOT_FOUND)
  delete(@UuidParam() id: string): Promise<void> {
    return this.items.delete(id);
  }
}
