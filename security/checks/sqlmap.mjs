// sqlmap (Debian's package) against every operation with parameters, through the gateway with
// the admin's token: path parameters marked with `*`, query parameters and JSON bodies as
// sqlmap finds them. Bounded: level 1, risk 1, boolean/error/union techniques, a time limit
// per operation, four at once. Its output stays in the run's temp dir; a summary is printed.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import { adminLogin, newWorld } from '../lib/actors.mjs';
import { label } from '../lib/operations.mjs';
import { fail, figures, progress } from '../lib/results.mjs';
import { sampleRequest } from '../lib/samples.mjs';
import { GATEWAY } from '../lib/system.mjs';

const PER_OPERATION_MS = 90_000;
const AT_ONCE = 4;

const hasParameters = (op) => (op.operation.parameters ?? []).length > 0 || op.operation.requestBody;

function argsFor(op, world, token, outputDir) {
  const sample = sampleRequest(op, world);
  // The path's ids become injection points; query parameters get their documented defaults.
  let path = op.path.replace(
    /\{[^}]+\}/g,
    () =>
      `${op.service === 'orders' ? world.order.id : op.service === 'users' ? world.owner.id : world.item.id}*`,
  );
  const query = (op.operation.parameters ?? []).filter((p) => p.in === 'query');
  if (query.length) path += `?${query.map((p) => `${p.name}=${p.schema?.default ?? 1}`).join('&')}`;
  const args = ['-u', `${GATEWAY}${path}`, '--method', op.method, '-H', `Authorization: Bearer ${token}`];
  if (sample.body !== undefined)
    args.push('--data', JSON.stringify(sample.body), '-H', 'Content-Type: application/json');
  if (sample.form) args.push('--data', new URLSearchParams(sample.form).toString());
  return [
    ...args,
    ...['--batch', '--level', '1', '--risk', '1', '--technique', 'BEU', '--threads', '2', '--timeout', '5'],
    ...['--retries', '0', '--disable-coloring', '--skip-waf', '--flush-session', '--output-dir', outputDir],
  ];
}

function runOne(args, logFile) {
  return new Promise((resolve) => {
    const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), PER_OPERATION_MS);
    child.on('error', (error) => resolve({ output: String(error), code: -1 }));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      writeFileSync(logFile, output);
      resolve({ output, code: signal ? 'timed out' : code });
    });
  });
}

export async function sqlmap({ operations, tmp }) {
  const reportDir = join(tmp, 'sqlmap');
  mkdirSync(reportDir, { recursive: true });
  const admin = (await adminLogin()).access_token;
  const world = await newWorld(admin);
  const targets = operations.filter(hasParameters).filter((op) => op.method !== 'DELETE');
  const verdicts = [];
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const op = targets[next++];
      const logFile = join(reportDir, `${label(op).replace(/[^A-Za-z0-9]+/g, '_')}.log`);
      const { output, code } = await runOne(argsFor(op, world, admin, reportDir), logFile);
      const injectable =
        /identified the following injection point|is vulnerable|appears to be injectable/i.test(output);
      const verdict = injectable ? 'INJECTABLE' : code === 0 ? 'not injectable' : `no verdict (${code})`;
      verdicts.push({ op, verdict });
      progress(`${label(op)}: ${verdict}`);
      if (injectable) fail('sqlmap', `${label(op)} is injectable; sqlmap's log: ${logFile}`);
      if (code !== 0 && !injectable)
        fail('sqlmap', `${label(op)}: sqlmap ended ${code}; its log: ${logFile}`);
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  const injectable = verdicts.filter((v) => v.verdict === 'INJECTABLE').length;
  figures.sqlmap = `${targets.length} operations with parameters: ${injectable} injectable (report: ${reportDir})`;
  progress(figures.sqlmap);
}
