import { Param, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '../errors/validation.errors';

// Postgres reads both spellings of a UUID as one id, but a cache or a log keys
// by the text: every id is made lower-case before anything uses it.
const toLowerCase: PipeTransform<string, string> = { transform: (id) => id.toLowerCase() };

/**
 * A UUID path parameter (`:id` unless another name is given), lower-cased;
 * anything but a UUID is a 400 whose `errors` entry names the parameter.
 */
export const UuidParam = (name = 'id'): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new RequestValidationError([{ field: name, message: `${name} must be a UUID` }]),
    }),
    toLowerCase,
  );
