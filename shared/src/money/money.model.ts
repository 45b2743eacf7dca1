// Money is a decimal string with two places ("12.50") in the API, the events
// and numeric(12,2) columns: at most 10 digits before the point, never
// negative. Arithmetic is done in bigint cents, so no binary float ever
// touches an amount.

/** An amount as a client may write it: up to two decimals. */
const AMOUNT = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/;
/** An amount as the system writes it: exactly two decimals. */
export const MONEY_PATTERN = /^\d{1,10}\.\d{2}$/;
const MAX_CENTS = 999_999_999_999n;

/** Cents of a decimal string ("19.99" → 1999n); `undefined` for anything that is not an amount. */
export function parseCents(value: unknown): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  const match = AMOUNT.exec(value);
  if (!match) return undefined;
  const [, units, cents = ''] = match;
  return BigInt(units) * 100n + BigInt(cents.padEnd(2, '0'));
}

/** The API's form of an amount (1999n → "19.99"). */
export function formatCents(cents: bigint): string {
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/**
 * An amount given as a decimal string ("12.5") or a JSON number (12.5), in the
 * API's form ("12.50"); `undefined` when it is negative, has more than two
 * decimals, is too large, uses an exponent or is no number at all. A number is
 * read through its shortest decimal form, which is what the client wrote
 * (19.99, not 19.989999…).
 */
export function parseMoney(value: unknown): string | undefined {
  const cents = parseCents(typeof value === 'number' ? String(value) : value);
  return cents === undefined ? undefined : formatCents(cents);
}

/** Whether an amount fits the numeric(12,2) columns and the events' money schema. */
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
