import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MONEY_PATTERN } from '@shop/shared';
import type { Order } from '../order.entity';
import { CANCEL_REASONS, ORDER_STATUSES, OrderStatus, REJECT_REASONS } from '../order-status.model';
import { MAX_LINES, MAX_QUANTITY, UUID_LENGTH } from './place-order.dto';

const UUID = { format: 'uuid', minLength: UUID_LENGTH, maxLength: UUID_LENGTH } as const;
// "19.99": at most ten digits, the point and two decimals, as numeric(12,2) holds it.
const MONEY = { pattern: MONEY_PATTERN.source, maxLength: 13 } as const;

// Every line stored passed PlaceOrderDto, so a response holds no more than it accepts.
export class OrderLineResponse {
  @ApiProperty({ ...UUID, example: '6f1c2b7e-2f0a-4c3e-9a51-0d5b1f3c9e42' })
  itemId: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: MAX_QUANTITY, example: 2 })
  quantity: number;

  @ApiProperty({ ...MONEY, example: '19.99', description: 'The price per unit when the order was placed' })
  unitPrice: string;
}

export class OrderResponse {
  @ApiProperty({ ...UUID, example: '3b9d6f0e-7a41-4c2b-8e5d-1f6a9c0b2d73' })
  id: string;

  @ApiProperty({
    ...UUID,
    description: 'The customer who placed it',
    example: 'a1e5c3b7-9d2f-4a6e-8c0b-5f7d9e1a3c24',
  })
  userId: string;

  @ApiProperty({
    enum: ORDER_STATUSES,
    description: 'PENDING until inventory answers; REJECTED and CANCELLED are final',
    example: 'PENDING',
  })
  status: OrderStatus;

  @ApiProperty({
    type: [OrderLineResponse],
    minItems: 1,
    maxItems: MAX_LINES,
    description: 'In the order placed',
  })
  lines: OrderLineResponse[];

  @ApiProperty({ ...MONEY, example: '39.98', description: 'Σ quantity × unit price' })
  total: string;

  // toISOString: always 24 characters, in UTC with milliseconds.
  @ApiProperty({ format: 'date-time', maxLength: 24, example: '2025-11-27T09:30:00.000Z' })
  createdAt: string;

  @ApiPropertyOptional({
    enum: REJECT_REASONS,
    description:
      'Why inventory refused the order (REJECTED only): `OUT_OF_STOCK`, a line asks for more units than ' +
      'are available; `UNKNOWN_ITEM`, inventory holds no stock for an item of the order',
  })
  rejectReason?: string;

  @ApiPropertyOptional({
    enum: CANCEL_REASONS,
    description:
      'Who cancelled it (CANCELLED only): `customer`, its owner; `admin`, someone else with `orders:all`; ' +
      '`expired`, still PENDING after `ORDER_PENDING_TTL`',
  })
  cancelReason?: string;

  static from(order: Order): OrderResponse {
    return {
      id: order.id,
      userId: order.userId,
      status: order.status,
      lines: order.lines.map(({ itemId, quantity, unitPrice }) => ({ itemId, quantity, unitPrice })),
      total: order.total,
      createdAt: order.createdAt.toISOString(),
      ...(order.rejectReason !== null && { rejectReason: order.rejectReason }),
      ...(order.cancelReason !== null && { cancelReason: order.cancelReason }),
    };
  }
}
