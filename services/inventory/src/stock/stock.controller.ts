import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Scopes, UuidParam } from '@shop/shared';
import type { FastifyRequest } from 'fastify';
import { AdjustStockCommand } from './adjust-stock.command';
import { AdjustStockDto } from './dto/adjust-stock.dto';
import { StockLevelsResponse } from './dto/stock-levels.response';
import { StockService } from './stock.service';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('api/v1/inventory')
export class StockController {
  constructor(private readonly stock: StockService) {}

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
    @Req() request: FastifyRequest,
  ): Promise<StockLevelsResponse> {
    const command = new AdjustStockCommand(itemId, dto.delta, dto.reason.trim(), user.id, request.id);
    return StockLevelsResponse.from(await this.stock.adjust(command));
  }
}
