import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

@Entity({ schema: 'items', name: 'items' })
export class Item {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description: string | null;

  /** numeric(12,2), which pg hands over as a string ("12.50"): money never becomes a float. */
  @Column({ type: 'numeric', precision: 12, scale: 2 })
  price: string;

  @Column({ type: 'numeric', precision: 12, scale: 2, nullable: true })
  tax: string | null;

  /** The user who created the item (the token's subject), never set by a client. */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Bumped on every change, image included: it orders cache entries and becomes the events' aggregateVersion. */
  @VersionColumn()
  version: number;
}

/** What a client chooses about an item; everything else is the service's to set. */
export type ItemFields = Pick<Item, 'name' | 'description' | 'price' | 'tax'>;
