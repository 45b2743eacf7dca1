import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems, AuthenticatedUser, CurrentUser, RequestId, Scopes, UuidParam } from '@shop/shared';
import { AdjustStockHandler } from './adjust-stock.handler';
import { AdjustStockDto } from './dto/adjust-stock.dto';
import { StockLevelsResponse } from './dto/stock-levels.response';
import { StockService } from './stock.service';

@ApiTags('inventory')
@ApiParam({ name: 'itemId', format: 'uuid', example: '6f1c2b7e-2f0a-4c3e-9a51-0d5b1f3c9e42' })
@Controller('api/v1/inventory')
export class StockController {
  constructor(
    private readonly stock: StockService,
    private readonly adjustStock: AdjustStockHandler,
  ) {}

  @Get(':itemId')
  @Scopes('inventory:read')
  @ApiOperation({
    summary: 'Stock levels of an item',
    description: 'How many units are available to order and how many are held by pending orders.',
  })
  @ApiOkResponse({ type: StockLevelsResponse })
  async get(@UuidParam('itemId') itemId: string): Promise<StockLevelsResponse> {
    return StockLevelsResponse.from(await this.stock.levelsOf(itemId));
  }

  @Post(':itemId/adjustments')
  @Scopes('inventory:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Adjust the stock of an item',
    description:
      'Adds (a delivery) or removes (a write-off) units of available stock, with a reason kept in the ' +
      'adjustment history; publishes `inventory.low_stock` when few units are left.',
  })
  @ApiOkResponse({ type: StockLevelsResponse, description: 'The levels after the adjustment' })
  @ApiProblems(
    [409, 'The adjustment would take available stock below zero.'],
    [422, 'The adjustment would take the item above the most units it may hold.'],
  )
  async adjust(
    @UuidParam('itemId') itemId: string,
    @Body() dto: AdjustStockDto,
    @CurrentUser() user: AuthenticatedUser,
    @RequestId() requestId: string,
  ): Promise<StockLevelsResponse> {
    const levels = await this.adjustStock.execute({
      itemId,
      delta: dto.delta,
      reason: dto.reason.trim(),
      adjustedBy: user.id,
      requestId,
    });
    return StockLevelsResponse.from(levels);
  }
}
