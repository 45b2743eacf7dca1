// numeric(12,2): at most 10 digits before the point. Amounts are handled as
// integer cents in bigint, so no binary float ever touches money.
const AMOUNT = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/;
const MAX_CENTS = 999_999_999_999n;

/** Cents of a decimal amount ("19.99" → 1999n); `undefined` for anything that is not one. */
export function parseCents(value: unknown): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  const match = AMOUNT.exec(value);
  if (!match) return undefined;
  const [, units, cents = ''] = match;
  return BigInt(units) * 100n + BigInt(cents.padEnd(2, '0'));
}

/** The API's money format: a decimal string with two places (1999n → "19.99"). */
export function formatCents(cents: bigint): string {
  const whole = cents / 100n;
  const rest = cents % 100n;
  return `${whole}.${rest.toString().padStart(2, '0')}`;
}

/** Whether an amount fits the `numeric(12,2)` columns and the events' money schema. */
export function fitsMoneyColumn(cents: bigint): boolean {
  return cents >= 0n && cents <= MAX_CENTS;
}

/** Σ quantity × unit price, exactly. */
export function totalOf(lines: readonly { quantity: number; unitPrice: string }[]): bigint {
  return lines.reduce((sum, line) => {
    const cents = parseCents(line.unitPrice);
    if (cents === undefined) throw new TypeError(`Not a money amount: ${line.unitPrice}`);
    return sum + cents * BigInt(line.quantity);
  }, 0n);
}
