import { parseMoney } from '@shop/shared';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

export const MONEY_RULE =
  'a non-negative amount below 10^10 with at most two decimals, as a string or a number';

/** The amounts parseMoney accepts as a string; is-money.decorator.spec.ts holds the two to each other. */
export const MONEY_INPUT_PATTERN = '^(0|[1-9]\\d{0,9})(\\.\\d{1,2})?$';
/** The longest such string: ten digits, the point and two decimals. */
export const MONEY_MAX_LENGTH = 13;
const MAX_AMOUNT = 9_999_999_999.99;

/**
 * The OpenAPI schema of a money field of a request body: a string of the
 * pattern above, or a JSON number in the same range (its decimals are checked
 * by the validator, which no schema keyword can do exactly for a float).
 * Only the string may be null: `oneOf` must match exactly one branch.
 */
export const moneyInputSchema = ({ nullable }: { nullable: boolean }) => ({
  description: MONEY_RULE,
  oneOf: [
    {
      type: 'string',
      pattern: MONEY_INPUT_PATTERN,
      maxLength: MONEY_MAX_LENGTH,
      ...(nullable ? { nullable: true } : {}),
    },
    { type: 'number', minimum: 0, maximum: MAX_AMOUNT },
  ],
});

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
