// Markdown tables and number formats for the report (Prettier aligns the columns afterwards).

/** A table: `columns` are `[header, align]` (align 'l' or 'r'), `rows` arrays of cells. */
export function table(columns, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map(([header]) => header)),
    `|${columns.map(([, align]) => (align === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** A number with `digits` decimals; Infinity (never completed) as "> limit", missing as "—". */
export function num(value, digits = 1, { limit } = {}) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  if (value === Infinity) return limit ? `> ${limit}` : '∞';
  return value.toFixed(digits);
}

/** "p50 / p99" of a percentiles object. */
export const p50p99 = (figures, digits = 1, options) =>
  figures ? `${num(figures.p50, digits, options)} / ${num(figures.p99, digits, options)}` : '—';

/** min–max in brackets, when there is more than one value. */
export const spread = (values, digits) =>
  values.length > 1 ? ` (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : '';
