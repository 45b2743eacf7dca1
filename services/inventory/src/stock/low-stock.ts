/**
 * Whether a change of available stock crossed below the threshold. Only the
 * crossing counts: an item that stays low is not reported again on every
 * reservation, and is reported anew once restocked and run down again.
 */
export function crossedBelowThreshold(threshold: number, before: number, after: number): boolean {
  return before >= threshold && after < threshold;
}
