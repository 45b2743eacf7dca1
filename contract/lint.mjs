// `npm run lint:api`: the API gates on every document the gateway serves. Builds, makes the
// documents without any infrastructure (contract/lib/served.mjs: each service's document with
// what the edge adds, and the gateway's own), writes them to build/openapi/served/, then lints
// each with Spectral (.spectral.yaml: spectral:oas and the OWASP rules) and Redocly
// (redocly.yaml: recommended). Prints the counts per document and every error; exits 1 on any.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { build, ROOT, step, style } from '../scripts/lib/run.mjs';
import { servedDocuments } from './lib/served.mjs';

const OUT = join(ROOT, 'build/openapi/served');
const BIN = join(ROOT, 'node_modules/.bin');
const SPECTRAL_SEVERITY = ['error', 'warn', 'info', 'hint'];

/** Runs a linter that exits non-zero when it finds errors; its JSON report is what counts. */
async function report(command, args) {
  try {
    const { stdout } = await promisify(execFile)(join(BIN, command), args, {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout);
  } catch (error) {
    if (error.stdout) return JSON.parse(error.stdout);
    throw new Error(`${command} did not run: ${error.message}`, { cause: error });
  }
}

async function spectral(file) {
  const results = await report('spectral', ['lint', '--ruleset', '.spectral.yaml', '-f', 'json', '-q', file]);
  return results.map((result) => ({
    severity: SPECTRAL_SEVERITY[result.severity],
    rule: result.code,
    where: result.path.join('.'),
  }));
}

async function redocly(file) {
  const { problems } = await report('redocly', [
    'lint',
    '--config',
    'redocly.yaml',
    '--format',
    'json',
    file,
  ]);
  return problems.map((problem) => ({
    severity: problem.severity,
    rule: problem.ruleId,
    where: problem.location?.[0]?.pointer?.replace(/^#\//, '') ?? '',
  }));
}

const count = (problems, severity) => problems.filter((problem) => problem.severity === severity).length;

step('Building (tsc -b)…');
await build([
  'shared',
  'services/users',
  'services/items',
  'services/orders',
  'services/inventory',
  'gateway',
]);
step('Making the served documents…');
mkdirSync(OUT, { recursive: true });
const files = [];
for (const [name, document] of Object.entries(await servedDocuments())) {
  const file = join(OUT, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  files.push({ name, file: relative(ROOT, file) });
  console.log(`  ${name}: ${Object.keys(document.paths).length} paths → ${relative(ROOT, file)}`);
}

step('Linting (Spectral, Redocly)…');
let errors = 0;
for (const { name, file } of files) {
  const [bySpectral, byRedocly] = await Promise.all([spectral(file), redocly(file)]);
  const failed = [
    ...bySpectral.map((p) => ({ ...p, tool: 'spectral' })),
    ...byRedocly.map((p) => ({ ...p, tool: 'redocly' })),
  ].filter((problem) => problem.severity === 'error');
  errors += failed.length;
  const verdict = failed.length === 0 ? style('green', 'ok') : style('red', 'FAIL');
  console.log(
    `  ${name.padEnd(10)} spectral ${count(bySpectral, 'error')} errors, ${count(bySpectral, 'warn')} warnings;` +
      ` redocly ${count(byRedocly, 'error')} errors, ${count(byRedocly, 'warn')} warnings  ${verdict}`,
  );
  for (const problem of failed) console.log(`      ${problem.tool} ${problem.rule}  ${problem.where}`);
}

if (errors > 0) {
  console.error(
    `\n${errors} error(s). Each line above names the rule and where: an operation's summary, a string's ` +
      'maxLength or an example belongs in its controller or DTO; anything else in shared/src/openapi/ or ' +
      'gateway/src/docs/. Warnings do not fail the gate.',
  );
  process.exit(1);
}
console.log(
  `\nEvery served document passes Spectral and Redocly with no errors (${files.length} documents).`,
);
process.exit(0);
