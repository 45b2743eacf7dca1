import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { RequestValidationError } from '@shop/shared';

/** The longest key accepted: the `idempotency_keys.key` column allows no more. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
// Visible ASCII, like the keys clients generate (UUIDs, ULIDs, random tokens).
const KEY = new RegExp(`^[\\x21-\\x7e]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/** Checks the optional header: absent is fine, malformed (or repeated) is a 400. */
@Injectable()
export class IdempotencyKeyPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && KEY.test(value)) return value;
    throw new RequestValidationError([
      {
        field: 'Idempotency-Key',
        message: `Idempotency-Key must be 1-${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters`,
      },
    ]);
  }
}

const header = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['idempotency-key'],
);

/** The request's `Idempotency-Key` header, validated; `undefined` when absent. */
export const IdempotencyKey = () => header(undefined, IdempotencyKeyPipe);

/** Documents the header as the pipe checks it, beside the rule so the two cannot drift. */
export const ApiIdempotencyKey = (description: string) =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description,
    schema: { type: 'string', pattern: KEY.source, minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH },
    example: '8e0f3a52-6c1d-4b7e-9f2a-3d5c7b1e9a40',
  });
