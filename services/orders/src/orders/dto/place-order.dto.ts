import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsInt,
  IsObject,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const MAX_LINES = 50;
export const MAX_QUANTITY = 1000;
/** A UUID as IsUUID and UuidParam accept it: 8-4-4-4-12 hexadecimal digits. */
export const UUID_LENGTH = 36;

export class OrderLineDto {
  @ApiProperty({
    format: 'uuid',
    minLength: UUID_LENGTH,
    maxLength: UUID_LENGTH,
    description: 'The item to order, in any case; read in lower case',
    example: '6f1c2b7e-2f0a-4c3e-9a51-0d5b1f3c9e42',
  })
  @IsUUID('all', { message: 'itemId must be a UUID' })
  // One spelling per item, so the same item cannot appear twice in other case.
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  itemId: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: MAX_QUANTITY, example: 2 })
  @IsInt({ message: 'quantity must be an integer' })
  @Min(1, { message: 'quantity must be at least 1' })
  @Max(MAX_QUANTITY, { message: `quantity must be at most ${MAX_QUANTITY}` })
  quantity: number;
}

/** What a customer orders. Prices are never taken from the client: they come from the items service. */
export class PlaceOrderDto {
  @ApiProperty({
    type: [OrderLineDto],
    minItems: 1,
    maxItems: MAX_LINES,
    uniqueItems: true,
    description: 'One line per item: the same item in two lines is a 400',
    example: [
      { itemId: '6f1c2b7e-2f0a-4c3e-9a51-0d5b1f3c9e42', quantity: 2 },
      { itemId: 'c4a7e1d9-5b3f-4e8a-b2c6-9d0f1a3e5b77', quantity: 1 },
    ],
  })
  @IsDefined({ message: 'lines is required' })
  @IsArray({ message: 'lines must be an array' })
  @ArrayMinSize(1, { message: 'an order needs at least one line' })
  @ArrayMaxSize(MAX_LINES, { message: `an order has at most ${MAX_LINES} lines` })
  // One line per item: a repeated item is refused rather than silently merged.
  @ArrayUnique((line: OrderLineDto | null) => line?.itemId, {
    message: 'each item may appear in one line only',
  })
  @ValidateNested({ each: true })
  // ValidateNested alone would look inside a nested array (`[[]]`) and find nothing to refuse.
  @IsObject({ each: true, message: 'each line must be an object' })
  @Type(() => OrderLineDto)
  lines: OrderLineDto[];
}
