import { parseMoney } from '@shop/shared';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

export const MONEY_RULE =
  'a non-negative amount below 10^10 with at most two decimals, as a string or a number';

/**
 * A money field of a request body. A valid amount is normalised to its
 * two-decimal string before validation runs; an invalid one is left as sent,
 * so the validator reports it with the field's name.
 */
export function IsMoney(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => parseMoney(value) ?? value),
    ValidateBy({
      name: 'isMoney',
      validator: {
        validate: (value) => typeof value === 'string' && parseMoney(value) === value,
        defaultMessage: (args) => `${args?.property} must be ${MONEY_RULE}`,
      },
    }),
  );
}
