import { fitsMoneyColumn, formatCents, parseCents, parseMoney, totalOf } from './money.model';

describe('money', () => {
  it('reads decimal strings as exact cents', () => {
    expect(parseCents('19.99')).toBe(1999n);
    expect(parseCents('12.5')).toBe(1250n);
    expect(parseCents('7')).toBe(700n);
    expect(parseCents('0.00')).toBe(0n);
    expect(parseCents('9999999999.99')).toBe(999_999_999_999n);
  });

  it('refuses anything that is not a non-negative amount with at most two places', () => {
    for (const bad of ['-1.00', '1.999', '1e3', '', ' 1.00', '01.00', '12345678901.00', 19.99, null]) {
      expect(parseCents(bad)).toBeUndefined();
    }
  });

  it('formats cents with two places', () => {
    expect(formatCents(5997n)).toBe('59.97');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatCents(0n)).toBe('0.00');
  });

  it('totals lines without binary float error', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004; 3 × 19.99 is 59.97 exactly.
    expect(formatCents(totalOf([{ quantity: 3, unitPrice: '19.99' }]))).toBe('59.97');
    expect(
      formatCents(
        totalOf([
          { quantity: 1, unitPrice: '0.10' },
          { quantity: 1, unitPrice: '0.20' },
        ]),
      ),
    ).toBe('0.30');
  });

  it('knows when a total no longer fits numeric(12,2)', () => {
    expect(fitsMoneyColumn(999_999_999_999n)).toBe(true);
    expect(fitsMoneyColumn(1_000_000_000_000n)).toBe(false);
  });
});

describe('parseMoney', () => {
  it.each([
    ['12.5', '12.50'],
    ['0.10', '0.10'],
    ['7', '7.00'],
    ['9999999999.99', '9999999999.99'],
    [19.99, '19.99'],
    [0.1, '0.10'],
    [12, '12.00'],
    [-0, '0.00'],
  ])('reads %p as %p', (input, expected) => {
    expect(parseMoney(input)).toBe(expected);
  });

  it.each([
    ['12.505'],
    [12.505],
    ['-1'],
    [-1],
    ['10000000000'],
    [1e10],
    [1e21],
    ['1e3'],
    ['012'],
    ['12.'],
    ['.5'],
    [' 12'],
    [''],
    [Infinity],
    [Number.NaN],
    [0.1 + 0.2],
    [null],
    [true],
    [{}],
  ])('refuses %p', (input) => {
    expect(parseMoney(input)).toBeUndefined();
  });
});
