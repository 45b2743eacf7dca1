import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One refused field of a request. */
export class FieldErrorResponse {
  @ApiProperty({ example: 'price', maxLength: 200 })
  field: string;

  @ApiProperty({ example: 'price must be a non-negative amount with at most two decimals', maxLength: 500 })
  message: string;
}

/** An RFC 9457 problem: what every refusal and failure of the system looks like. */
export class ProblemResponse {
  @ApiProperty({ example: 'urn:shop:problem:ITEM.NOT_FOUND', maxLength: 200 })
  type: string;

  @ApiProperty({ example: 'Not Found', maxLength: 100 })
  title: string;

  @ApiProperty({ example: 404, minimum: 400, maximum: 599, format: 'int32' })
  status: number;

  @ApiProperty({ example: 'No such item.', maxLength: 1000 })
  detail: string;

  @ApiProperty({ example: '/api/v1/items/6f1c2b7e-2f0a-4c3e-9a51-0d5b1f3c9e42', maxLength: 2048 })
  instance: string;

  @ApiProperty({ example: '0f8fad5b-d9cb-469f-a165-70867728950e', maxLength: 128 })
  requestId: string;

  @ApiPropertyOptional({
    description: 'A stable code to branch on',
    example: 'ITEM.NOT_FOUND',
    maxLength: 100,
  })
  code?: string;

  @ApiPropertyOptional({
    type: [FieldErrorResponse],
    maxItems: 100,
    description: 'Every refused field (400 only)',
  })
  errors?: FieldErrorResponse[];
}
