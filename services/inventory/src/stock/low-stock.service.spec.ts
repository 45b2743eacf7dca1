import { crossedBelowThreshold } from './low-stock.service';

describe('crossedBelowThreshold', () => {
  it('is true only for the change that goes from at-or-above to below the threshold', () => {
    expect(crossedBelowThreshold(5, 5, 4)).toBe(true);
    expect(crossedBelowThreshold(5, 10, 0)).toBe(true);
    expect(crossedBelowThreshold(5, 6, 5)).toBe(false);
    expect(crossedBelowThreshold(5, 4, 3)).toBe(false);
    expect(crossedBelowThreshold(5, 3, 8)).toBe(false);
  });
});
