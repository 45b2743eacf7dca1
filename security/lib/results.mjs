// What the checks found: each check's failures by name, and the figures the summary prints.
import { progress, step } from '../../bench/lib/output.mjs';

export { progress, step };
const failures = new Map();
export const figures = {};

/** Records a failed expectation of `check`; the first few are printed as they happen. */
export function fail(check, text) {
  const list = failures.get(check) ?? [];
  list.push(text);
  failures.set(check, list);
  if (list.length <= 5) progress(`✖ ${text}`);
  else if (list.length === 6) progress(`✖ … (more failures of ${check} in the summary count)`);
}

export const failuresOf = (check) => failures.get(check) ?? [];
export const allFailures = () => [...failures.entries()];
