import { inLockOrder } from './order-lines.model';

const A = '0a000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';
const C = 'C0000000-0000-4000-8000-000000000000';

describe('inLockOrder', () => {
  it('merges lines of the same item and sorts them by item id', () => {
    expect(
      inLockOrder([
        { itemId: C, quantity: 1 },
        { itemId: A, quantity: 2 },
        { itemId: B, quantity: 3 },
        { itemId: A, quantity: 4 },
      ]),
    ).toEqual([
      { itemId: A, quantity: 6 },
      { itemId: B, quantity: 3 },
      { itemId: C.toLowerCase(), quantity: 1 },
    ]);
  });
});
