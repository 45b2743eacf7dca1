import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, RequestId, Scopes, UuidParam } from '@shop/shared';
import { AdjustStockHandler } from './adjust-stock.handler';
import { AdjustStockDto } from './dto/adjust-stock.dto';
import { StockLevelsResponse } from './dto/stock-levels.response';
import { StockService } from './stock.service';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('api/v1/inventory')
export class StockController {
  constructor(
    private readonly stock: StockService,
    private readonly adjustStock: AdjustStockHandler,
  ) {}

  @Get(':itemId')
  @Scopes('inventory:read')
  @ApiOkResponse({ type: StockLevelsResponse })
  async get(@UuidParam('itemId') itemId: string): Promise<StockLevelsResponse> {
    return StockLevelsResponse.from(await this.stock.levelsOf(itemId));
  }

  @Post(':itemId/adjustments')
  @Scopes('inventory:write')
  @HttpCode(200)
  @ApiOkResponse({ type: StockLevelsResponse, description: 'the levels after the adjustment' })
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
