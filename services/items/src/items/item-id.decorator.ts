import { Param, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { RequestValidationException } from '@shop/shared';

// Postgres reads both spellings of a UUID as one id; the cache keys by the
// text, so every id is made lower-case before anything uses it.
const toLowerCase: PipeTransform<string, string> = { transform: (id) => id.toLowerCase() };

/** The `:id` path parameter, as a lower-case UUID; anything else is a 400 naming the field. */
export const ItemIdParam = () =>
  Param(
    'id',
    new ParseUUIDPipe({
      exceptionFactory: () => new RequestValidationException([{ field: 'id', message: 'id must be a UUID' }]),
    }),
    toLowerCase,
  );
