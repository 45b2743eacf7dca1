import { ApiProperty } from '@nestjs/swagger';
import type { Item } from '../item.entity';

export class ItemResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ example: '12.50' }) price: string;
  @ApiProperty({ type: String, nullable: true, example: '2.38' }) tax: string | null;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(item: Item): ItemResponse {
    return {
      id: item.id,
      name: item.name,
      description: item.description,
      price: item.price,
      tax: item.tax,
      ownerId: item.ownerId,
      createdAt: item.createdAt.toISOString(),
      updatedAt: item.updatedAt.toISOString(),
    };
  }
}
