import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Order } from '../order.entity';
import { ORDER_STATUSES, OrderStatus } from '../order-status.model';

export class OrderLineResponse {
  @ApiProperty({ format: 'uuid' }) itemId: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ example: '19.99', description: 'The price per unit when the order was placed' })
  unitPrice: string;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The customer who placed it' }) userId: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus;
  @ApiProperty({ type: [OrderLineResponse] }) lines: OrderLineResponse[];
  @ApiProperty({ example: '59.97' }) total: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ description: 'Why inventory refused the order (REJECTED only)' })
  rejectReason?: string;
  @ApiPropertyOptional({ description: 'customer, admin or expired (CANCELLED only)' })
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
