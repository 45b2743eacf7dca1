import { Param, ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationException } from '@shop/shared';

/** The `:itemId` path parameter; anything but a UUID is a 400 naming the field. */
export const ItemIdParam = () =>
  Param(
    'itemId',
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new RequestValidationException([{ field: 'itemId', message: 'itemId must be a UUID' }]),
    }),
  );
