import { ApiParam } from '@nestjs/swagger';

/** Documents the `{id}` of a user's path; UuidParam refuses anything else with a 400 naming `id`. */
export const ApiUserId = () =>
  ApiParam({
    name: 'id',
    description: "The user's id; any other text is a 400 naming `id`",
    schema: {
      type: 'string',
      format: 'uuid',
      minLength: 36,
      maxLength: 36,
      example: '3f9d2a4e-8b1c-4e5f-9a7d-2c6b1e0f4a83',
    },
  });
