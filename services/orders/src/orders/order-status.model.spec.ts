import { canTransition, ORDER_STATUSES, OrderStatus, statusesBefore } from './order-status.model';

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

  // What OrderTransitionsService relies on: a late or repeated saga event, or a second
  // cancel, finds the order in a final state and changes nothing.
  it('lets nothing leave REJECTED or CANCELLED, nor an order become what it already is', () => {
    for (const to of ORDER_STATUSES) {
      expect(['REJECTED', to, canTransition('REJECTED', to)]).toEqual(['REJECTED', to, false]);
      expect(['CANCELLED', to, canTransition('CANCELLED', to)]).toEqual(['CANCELLED', to, false]);
    }
    for (const status of ORDER_STATUSES)
      expect([status, canTransition(status, status)]).toEqual([status, false]);
  });

  it('names, for each status, exactly the statuses the machine reaches it from', () => {
    for (const to of ORDER_STATUSES)
      expect([to, statusesBefore(to)]).toEqual([to, allowed.filter(([, b]) => b === to).map(([a]) => a)]);
  });
});
