import { MONEY_PATTERN, parseMoney } from '@shop/shared';
import { MONEY_INPUT_PATTERN, MONEY_MAX_LENGTH, moneyInputSchema } from './is-money.decorator';

// What OpenAPI tells clients about money, held to what parseMoney accepts.
describe('money as documented', () => {
  const strings = ['0', '0.5', '12', '12.5', '12.50', '9999999999.99', '10000000000', '012', '12.', '.5'];
  const more = ['-1', '1e3', '12.345', ' 12', '12,50', '', '0.00', '1234567890'];

  it.each([...strings, ...more])('matches %j exactly when parseMoney accepts it', (text) => {
    expect(new RegExp(MONEY_INPUT_PATTERN).test(text)).toBe(parseMoney(text) !== undefined);
  });

  it('gives the longest amount in MONEY_MAX_LENGTH characters, in the response pattern', () => {
    const longest = parseMoney('9999999999.99') as string;
    expect(longest).toHaveLength(MONEY_MAX_LENGTH);
    expect(MONEY_PATTERN.test(longest)).toBe(true);
  });

  it('bounds numbers as parseMoney does', () => {
    const [, number] = moneyInputSchema({ nullable: false }).oneOf as [unknown, { maximum: number }];
    expect(parseMoney(number.maximum)).toBe('9999999999.99');
    expect(parseMoney(number.maximum + 0.01)).toBeUndefined();
    expect(parseMoney(-0.01)).toBeUndefined();
  });
});
