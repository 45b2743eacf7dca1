// Checks and figures of each scenario, and the summary table printed at the end.
import { step } from '../../bench/lib/output.mjs';

const scenarios = [];
let current;

export function begin(id, title) {
  current = { id, title, figures: {}, checks: [] };
  scenarios.push(current);
  step(`(${id}) ${title}`);
}

/** Prints a line of progress within the scenario. */
export const progress = (text) => console.log(`  ${text}`);

/** Records a figure of the current scenario (the summary's columns). */
export const figure = (name, value) => (current.figures[name] = value);

/** Records one check; a failed one makes the run fail. `detail` says what was seen. */
export function check(name, ok, detail = '') {
  current.checks.push({ name, ok, detail });
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}

export const failed = () =>
  scenarios.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => ({ ...c, id: s.id })));

const COLUMNS = ['attempted', 'acknowledged', 'completed', 'lost', 'duplicated', 'recovery'];

export function printSummary() {
  const rows = scenarios.map((s) => [
    `(${s.id})`,
    ...COLUMNS.map((column) => String(s.figures[column] ?? '–')),
    `${s.checks.filter((c) => c.ok).length}/${s.checks.length}`,
  ]);
  const head = ['scenario', ...COLUMNS, 'checks ok'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  step('Summary');
  console.log(`  ${line(head)}`);
  for (const row of rows) console.log(`  ${line(row)}`);
  for (const s of scenarios) {
    const extra = Object.entries(s.figures).filter(([name]) => !COLUMNS.includes(name));
    if (extra.length > 0) console.log(`  (${s.id}) ${extra.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  const failures = failed();
  if (failures.length === 0) console.log('  every check passed');
  else {
    console.log(`  ${failures.length} check(s) failed:`);
    for (const f of failures) console.log(`    (${f.id}) ${f.name}${f.detail ? ` — ${f.detail}` : ''}`);
  }
}
