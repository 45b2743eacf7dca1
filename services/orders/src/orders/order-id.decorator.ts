import { ApiParam } from '@nestjs/swagger';

export const ORDER_ID_EXAMPLE = '3b9d6f0e-7a41-4c2b-8e5d-1f6a9c0b2d73';

/** Documents the `{id}` of an order's path as UuidParam() reads it: a UUID, any case, 36 characters. */
export const ApiOrderId = () =>
  ApiParam({
    name: 'id',
    description: "The order's id; any other text is a 400 naming `id`",
    // The example inside the schema: given beside it, @nestjs/swagger drops it.
    schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36, example: ORDER_ID_EXAMPLE },
  });
