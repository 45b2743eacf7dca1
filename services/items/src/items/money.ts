// numeric(12,2): at most 10 digits before the point and 2 after, never negative.
const AMOUNT = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/;

/**
 * Reads a money amount given as a decimal string ("12.5") or a JSON number
 * (12.5) and returns it as the API shows it: a string with two decimals
 * ("12.50"). Anything else (negative, more than two decimals, too large,
 * exponent notation, not a number at all) gives `undefined`.
 *
 * A number is read through its shortest decimal form, which is what the
 * client wrote (19.99, not 19.989999…), and is then handled as text only:
 * no binary float arithmetic ever touches an amount.
 */
export function parseMoney(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match = AMOUNT.exec(text);
  if (!match) return undefined;
  const [, units, cents = ''] = match;
  return `${units}.${cents.padEnd(2, '0')}`;
}
