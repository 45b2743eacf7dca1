// Small helpers for running commands and formatting the processes' output.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { relative } from 'node:path';
import readline from 'node:readline';
import { styleText } from 'node:util';

export const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * Whether our output may carry colours and bold, by Node's own rules: on a
 * terminal unless NO_COLOR is set, anywhere when FORCE_COLOR is (not 0). Asked
 * once, so `npm start > file` writes plain text and no line pays for the check.
 */
export const COLORS = styleText('bold', '.') !== '.';

/** `text` in a `util.inspect.colors` format when COLORS, as it is otherwise. */
export const style = (format, text) => (COLORS ? styleText(format, text, { validateStream: false }) : text);

/** Prints one step of a script: `▸ Building…`. */
export const step = (message) => console.log(style('bold', `▸ ${message}`));

/**
 * A child's environment: when we print no colours, neither does it (tsc,
 * Jest and the rest read FORCE_COLOR; Jest ignores NO_COLOR). NO_COLOR goes,
 * so that Node does not warn that FORCE_COLOR overrides it.
 */
function childEnv(env) {
  if (COLORS) return env;
  const plain = { ...env, FORCE_COLOR: '0' };
  delete plain.NO_COLOR;
  return plain;
}

/** Every child still running, so that a signal can stop them all, whatever step we are at. */
const running = new Set();

function track(child) {
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

/** Sends `signal` to every child still running and resolves when all have exited. */
export async function stopChildren(signal = 'SIGTERM') {
  const children = [...running];
  for (const child of children) child.kill(signal);
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : null)));
}

/** Runs a command to completion; rejects with its exit code and what to do next. */
export function run(command, args, { env = process.env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(command, args, {
        cwd: ROOT,
        env: childEnv(env),
        stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      }),
    );
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

/** tsc's own progress lines (`12:00:01 PM - Project … is up to date`) and its list of projects. */
const TSC_CHATTER = /^\[?[\d:.]+(?: [AP]M)?\]? - |^\s+\* |^\s*$/;

/**
 * `tsc -b` of `dirs`, naming each package as it starts compiling it: a cold
 * build takes a minute on two cores, and a silent minute looks like a hang.
 * Compiler errors pass through as they are.
 */
export async function build(dirs) {
  const started = Date.now();
  const child = track(
    spawn(`${ROOT}node_modules/.bin/tsc`, ['-b', '--verbose', '--pretty', 'false', ...dirs], {
      cwd: ROOT,
      env: childEnv(process.env),
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  let compiled = 0;
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const project = /Building project '(.+)\/tsconfig\.json'/.exec(line)?.[1];
    if (project) {
      compiled += 1;
      console.log(`  compiling ${relative(ROOT, project)}…`);
    } else if (!TSC_CHATTER.test(line)) console.log(line);
  });
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`tsc -b exited with ${code}; the errors above say where.`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`  ${compiled > 0 ? `${compiled} compiled` : 'all up to date'} (${seconds} s)`);
}

/**
 * The typed client (client/, @shop/client): its types generated from the services' OpenAPI
 * documents, which are made from the built services, then it and its tests compiled. Call
 * after build() of shared and the services.
 */
export async function buildClient() {
  await run(process.execPath, [`${ROOT}client/scripts/generate.mjs`]);
  await build(['client', 'client/test']);
}

const COLOR_NAMES = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'];
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

/**
 * Starts a long-running process whose output is prefixed with its name. The
 * lines of each chunk the pipe delivers are turned into one write (a busy
 * service logs a line per request; a write per line would cost `npm start` a
 * system call each), and the prefix is built once.
 */
export function startPrefixed(name, index, command, args, env) {
  const child = track(
    spawn(command, args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const prefix = `${style(COLOR_NAMES[index % COLOR_NAMES.length], `${name.padEnd(9)}|`)} `;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    const emit = (lines) => {
      let out = '';
      for (const line of lines) {
        const text = pretty(line);
        if (text !== null) out += prefix + text + '\n';
      }
      if (out) process.stdout.write(out);
    };
    stream.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      emit(lines);
    });
    stream.on('end', () => partial && emit([partial]));
  }
  return child;
}
