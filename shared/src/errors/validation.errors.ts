import { BadRequestException } from '@nestjs/common';
import type { FieldError } from './problem.model';

/** A request that failed validation, listing every refused field. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super('The request is invalid; see errors for each field.');
  }
}
