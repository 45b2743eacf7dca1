import { parseMoney } from './money';

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
