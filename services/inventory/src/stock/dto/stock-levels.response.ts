import { ApiProperty } from '@nestjs/swagger';
import type { StockLevels } from '../stock-levels.model';

export class StockLevelsResponse {
  @ApiProperty({ format: 'uuid' }) itemId: string;
  @ApiProperty({ description: 'units that can still be ordered' }) available: number;
  @ApiProperty({ description: 'units held by pending and confirmed orders' }) reserved: number;

  static from(levels: StockLevels): StockLevelsResponse {
    return { itemId: levels.itemId, available: levels.available, reserved: levels.reserved };
  }
}
