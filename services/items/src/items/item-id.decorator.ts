import { ApiParam } from '@nestjs/swagger';

export const ITEM_ID_EXAMPLE = '6f1c2b7e-2f0a-4c3e-9a51-0d5b1f3c9e42';

/** Documents the `{id}` of an item's path, which UuidParam() reads. */
export const ApiItemId = () =>
  ApiParam({
    name: 'id',
    description: "The item's id; any other text is a 400 naming `id`",
    schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 },
    example: ITEM_ID_EXAMPLE,
  });
