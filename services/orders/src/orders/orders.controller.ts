import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, PageQuery, RequestId, Scopes, UuidParam } from '@shop/shared';
import type { FastifyReply } from 'fastify';
import { IdempotencyKey } from '../idempotency/idempotency-key.pipe';
import { CancelOrderHandler } from './commands/cancel-order.handler';
import { PlaceOrderHandler } from './commands/place-order.handler';
import { OrderResponse } from './dto/order.response';
import { PlaceOrderDto } from './dto/place-order.dto';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly placeOrder: PlaceOrderHandler,
    private readonly cancelOrder: CancelOrderHandler,
    private readonly orders: OrdersService,
  ) {}

  // items:read too: the lines are priced by asking items with the caller's own token.
  @Post()
  @Scopes('orders:write', 'items:read')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Repeats with the same key and body replay the first response for 24 h',
  })
  @ApiCreatedResponse({ type: OrderResponse })
  async place(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() dto: PlaceOrderDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const { order, replayed } = await this.placeOrder.execute({
      caller,
      lines: dto.lines,
      idempotencyKey,
      requestId,
    });
    // A replay is the first answer again: 201 and the order as it was placed, marked as a replay.
    if (replayed) reply.header('idempotent-replayed', 'true');
    return OrderResponse.from(order);
  }

  @Get()
  @Scopes('orders:read')
  @ApiOkResponse({ type: [OrderResponse] })
  async list(@CurrentUser() caller: AuthenticatedUser, @Query() query: PageQuery): Promise<OrderResponse[]> {
    return (await this.orders.list(caller, query.skip, query.limit)).map(OrderResponse.from);
  }

  @Get(':id')
  @Scopes('orders:read')
  @ApiOkResponse({ type: OrderResponse })
  async get(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.get(caller, id));
  }

  @Post(':id/cancel')
  @Scopes('orders:write')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderResponse })
  async cancel(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @RequestId() requestId: string,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.cancelOrder.execute({ caller, orderId: id, requestId }));
  }
}
