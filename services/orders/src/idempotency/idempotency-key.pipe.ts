import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '@shop/shared';

// Visible ASCII, like the keys clients generate (UUIDs, ULIDs, random tokens).
const KEY = /^[\x21-\x7e]{1,255}$/;

/** Checks the optional header: absent is fine, malformed (or repeated) is a 400. */
@Injectable()
export class IdempotencyKeyPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && KEY.test(value)) return value;
    throw new RequestValidationError([
      { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1-255 visible ASCII characters' },
    ]);
  }
}

const header = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['idempotency-key'],
);

/** The request's `Idempotency-Key` header, validated; `undefined` when absent. */
export const IdempotencyKey = () => header(undefined, IdempotencyKeyPipe);
