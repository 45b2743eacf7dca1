import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Order } from './order.entity';

@Entity({ schema: 'orders', name: 'order_lines' })
export class OrderLine {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  /** The line's position in the order as placed, from 1. */
  @PrimaryColumn({ name: 'line_no', type: 'smallint' })
  lineNo: number;

  @Column({ name: 'item_id', type: 'uuid' })
  itemId: string;

  @Column({ type: 'integer' })
  quantity: number;

  /** The item's price when the order was placed, as a decimal string. */
  @Column({ name: 'unit_price', type: 'numeric', precision: 12, scale: 2 })
  unitPrice: string;

  @ManyToOne('Order', (order: Order) => order.lines)
  @JoinColumn({ name: 'order_id' })
  order?: Order;
}
