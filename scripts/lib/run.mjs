// Small helpers for running commands and formatting the processes' output.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

export const ROOT = new URL('../..', import.meta.url).pathname;

/** Runs a command to completion; rejects with its exit code and what to do next. */
export function run(command, args, { env = process.env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output}`)),
    );
  });
}

const COLORS = [36, 35, 33, 32, 34, 31];
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Nest's start-up chatter (one line per module and route) that `npm start` leaves out. */
const CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Turns one pino JSON line into `12:00:01 info  message (requestId)`; other lines pass through. */
function pretty(line) {
  try {
    const entry = JSON.parse(line);
    if (CHATTER.has(entry.context)) return null;
    const time = new Date(entry.time ?? Date.now()).toTimeString().slice(0, 8);
    const level = (LEVELS[entry.level] ?? entry.level ?? '').padEnd(5);
    const request = entry.req
      ? ` ${entry.req.method} ${entry.req.url} → ${entry.res?.statusCode} ${entry.responseTime ?? ''}ms`
      : '';
    const id = entry.requestId ? ` (${entry.requestId})` : '';
    const error = entry.err?.message ? `: ${entry.err.message}` : '';
    return `${time} ${level} ${entry.msg ?? ''}${request}${error}${id}`;
  } catch {
    return line;
  }
}

/** Starts a long-running process whose output is prefixed with its name. */
export function startPrefixed(name, index, command, args, env) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[${COLORS[index % COLORS.length]}m${name.padEnd(9)}|\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      const text = pretty(line);
      if (text !== null) process.stdout.write(prefix + text + '\n');
    });
  }
  return child;
}
