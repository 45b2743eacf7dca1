import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import {
  ApiProblems,
  AuthenticatedUser,
  CurrentUser,
  MAX_LIMIT,
  PageQuery,
  RequestId,
  Scopes,
  UnitOfWork,
  UuidParam,
} from '@shop/shared';
import type { FastifyReply } from 'fastify';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.pipe';
import { CancelOrderHandler } from './commands/cancel-order.handler';
import { PlaceOrderHandler } from './commands/place-order.handler';
import { OrderResponse } from './dto/order.response';
import { PlaceOrderDto } from './dto/place-order.dto';
import { ApiOrderId } from './order-id.decorator';
import { ApiPlaceOrderResponses } from './place-order-responses.decorator';
import { OrdersService } from './orders.service';

// Another customer's order answers 404 like a missing one (mayAccess), so ids cannot be probed.
const NOT_FOUND: Parameters<typeof ApiProblems> = [
  [404, 'No such order, or one of another customer without `orders:all` (`ORDER.NOT_FOUND`).'],
];

@ApiTags('orders')
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly placeOrder: PlaceOrderHandler,
    private readonly cancelOrder: CancelOrderHandler,
    private readonly orders: OrdersService,
  ) {}

  // items:read too: the lines are priced by asking items with the caller's own token.
  @Post()
  @UnitOfWork()
  @Scopes('orders:write', 'items:read')
  @ApiOperation({
    summary: 'Place an order',
    description:
      "Prices every line from the items service with the caller's token, then stores the order as " +
      "`PENDING` and publishes `order.placed`; inventory's answer makes it `CONFIRMED` or `REJECTED` later. " +
      'With an `Idempotency-Key`, a repeat by the same caller with the same body (keys in any order, ' +
      'item ids in any case; the order of the lines counts) within `IDEMPOTENCY_KEY_TTL` (24 h by default) ' +
      'places nothing and answers the first response again, even while items is away; the same key ' +
      'with another body is a 422. Each caller has keys of their own.',
  })
  @ApiIdempotencyKey(
    'Makes retrying safe: a repeat with this key and the same body replays the first response',
  )
  @ApiPlaceOrderResponses()
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
  @ApiOperation({
    summary: 'List orders',
    description:
      "A page of the caller's own orders, newest first, each with all its lines, as a bare array; with " +
      "`orders:all`, everybody's. `skip` and `limit` count orders, not lines.",
  })
  @ApiExtraModels(OrderResponse)
  @ApiOkResponse({
    description: 'At most `limit` orders',
    schema: { type: 'array', items: { $ref: getSchemaPath(OrderResponse) }, maxItems: MAX_LIMIT },
  })
  async list(@CurrentUser() caller: AuthenticatedUser, @Query() query: PageQuery): Promise<OrderResponse[]> {
    return (await this.orders.list(caller, query.skip, query.limit)).map(OrderResponse.from);
  }

  @Get(':id')
  @Scopes('orders:read')
  @ApiOperation({
    summary: 'Get an order',
    description: "One of the caller's orders as it stands now; with `orders:all`, anyone's.",
  })
  @ApiOrderId()
  @ApiOkResponse({ type: OrderResponse })
  @ApiProblems(...NOT_FOUND)
  async get(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.get(caller, id));
  }

  @Post(':id/cancel')
  @UnitOfWork()
  @Scopes('orders:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an order',
    description:
      "Cancels one of the caller's orders (reason `customer`), or with `orders:all` anyone's (reason " +
      '`admin`), while it is `PENDING` or `CONFIRMED`; publishes `order.cancelled`, on which inventory ' +
      'releases what it holds for the order.',
  })
  @ApiOrderId()
  @ApiOkResponse({ type: OrderResponse, description: 'The order, now `CANCELLED`' })
  @ApiProblems(...NOT_FOUND, [
    409,
    'The order is already `REJECTED` or `CANCELLED` (`ORDER.INVALID_TRANSITION`).',
  ])
  async cancel(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @RequestId() requestId: string,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.cancelOrder.execute({ caller, orderId: id, requestId }));
  }
}
