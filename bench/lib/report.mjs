// Turns the measurements into the printed summary and the figures section of docs/performance.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './procs.mjs';
import { busSection } from './report/bus.mjs';
import { footprintSection } from './report/footprint.mjs';
import { gatewaySection } from './report/gateway.mjs';
import { evaluateGoals, goalsSection } from './report/goals.mjs';
import { sagaSection } from './report/saga.mjs';

const START = '<!-- bench:figures:start (written by npm run bench; edits here are overwritten) -->';
const END = '<!-- bench:figures:end -->';

/** Prints every section, writes them to docs/performance.md if `write`; true if all goals were met. */
export function writeReport(results) {
  const { machine, quick, write } = results;
  const goals = evaluateGoals(results);
  const section = [
    `Machine: ${machine.cores} cores, ${machine.cpu}; Node ${machine.node}; ${machine.date}${quick ? ' — --quick run, indicative only' : ''}.`,
    ...gatewaySection(results),
    ...sagaSection(results),
    ...footprintSection(results),
    ...busSection(results),
    ...goalsSection(goals),
  ].join('\n\n');
  console.log(`\n${section}\n`);
  if (write) writeFigures(section);
  else console.log('Not written to docs/performance.md: only a full run without --profile is.');
  return goals.every(([, , , met]) => met);
}

function writeFigures(section) {
  const file = join(ROOT, 'docs/performance.md');
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : `# Performance\n\n## Figures\n\n${START}\n${END}\n`;
  const at = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    at >= 0 && end > at
      ? `${current.slice(0, at + START.length)}\n${section}\n${current.slice(end)}`
      : `${current.trimEnd()}\n\n## Figures\n\n${START}\n${section}\n${END}\n`;
  writeFileSync(file, next);
  // The page stays as `npm run lint` wants it (Prettier aligns the tables).
  execFileSync(join(ROOT, 'node_modules/.bin/prettier'), ['--write', '--log-level', 'warn', file], {
    stdio: 'inherit',
  });
  console.log('Figures written to docs/performance.md.');
}
