import { Param, ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationException } from '@shop/shared';

/** The `:id` path parameter; anything but a UUID is a 400 naming the field. */
export const OrderIdParam = () =>
  Param(
    'id',
    new ParseUUIDPipe({
      exceptionFactory: () => new RequestValidationException([{ field: 'id', message: 'id must be a UUID' }]),
    }),
  );
