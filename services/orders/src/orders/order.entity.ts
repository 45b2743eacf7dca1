import { Column, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import { OrderLine } from './order-line.entity';
import type { OrderStatus } from './order-status.model';

@Entity({ schema: 'orders', name: 'orders' })
export class Order {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  status: OrderStatus;

  /** numeric(12,2), read as a decimal string ("59.97"). */
  @Column({ type: 'numeric', precision: 12, scale: 2 })
  total: string;

  @Column({ name: 'reject_reason', type: 'text', nullable: true })
  rejectReason: string | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  /** Bumped on every change: the events' aggregateVersion, by which consumers ignore stale ones. */
  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @OneToMany(() => OrderLine, (line) => line.order)
  lines: OrderLine[];
}
