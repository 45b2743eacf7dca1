// Percentiles and medians of measured values. An Infinity stands for a measurement that never
// completed (an order whose push never came): it sorts last, so it shows in the tail.

/** Nearest-rank percentiles: `{ n, p50, p95, p99, max }`. */
export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const sum = (values) => values.reduce((total, value) => total + value, 0);
