import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from './problem.model';
import { RequestValidationError } from './validation.errors';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The ValidationPipe every service uses: unknown fields are refused rather than
 * silently dropped (mass assignment must fail loudly), payloads are transformed
 * into their DTO classes, and every refused field is reported.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}
