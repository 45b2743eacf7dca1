import { assertTransition, canTransition, ORDER_STATUSES, OrderStatus } from './order-status.model';

describe('the order state machine', () => {
  const allowed: [OrderStatus, OrderStatus][] = [
    ['PENDING', 'CONFIRMED'],
    ['PENDING', 'REJECTED'],
    ['PENDING', 'CANCELLED'],
    ['CONFIRMED', 'CANCELLED'],
  ];

  it('allows exactly the transitions of the saga', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const expected = allowed.some(([a, b]) => a === from && b === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  it('refuses a forbidden transition with ORDER.INVALID_TRANSITION (409)', () => {
    expect(() => assertTransition('REJECTED', 'CANCELLED')).toThrow(
      expect.objectContaining({ code: 'ORDER.INVALID_TRANSITION', status: 409 }),
    );
    expect(() => assertTransition('CANCELLED', 'CONFIRMED')).toThrow(
      expect.objectContaining({ code: 'ORDER.INVALID_TRANSITION' }),
    );
  });
});
