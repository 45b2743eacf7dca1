// The suite's own supervisor: starts each process with its output in a log file, kills,
// pauses and restarts it on demand, and on every way out (success, failure, Ctrl-C)
// resumes what it paused, stops what it started and runs the registered restore steps.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../../scripts/lib/run.mjs';

const specs = new Map(); // name → { script, env, port, logFile }
const running = new Map(); // name → child
const restores = [];
export const surprises = []; // processes that exited without being told to

export function lastLines(file, count = 12) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count);
  } catch {
    return [];
  }
}

/** Prints the end of a process's log, as every failure that concerns it does. */
export function showLog(name, count = 12) {
  const spec = specs.get(name);
  if (!spec) return;
  console.error(`  last lines of ${name}'s log (${spec.logFile}):`);
  for (const line of lastLines(spec.logFile, count)) console.error(`    ${line.slice(0, 400)}`);
}

export function define(name, { script, env, port, logDir }) {
  specs.set(name, { script, env, port, logFile: join(logDir, `${name}.log`) });
}

export const names = () => [...specs.keys()];
export const portOf = (name) => specs.get(name).port;
export const pidOf = (name) => running.get(name)?.pid;
export const pids = () => [...running.values()].map((child) => child.pid);

export function start(name) {
  const spec = specs.get(name);
  const fd = openSync(spec.logFile, 'a');
  const child = spawn(process.execPath, [spec.script], {
    cwd: ROOT,
    env: spec.env,
    stdio: ['ignore', fd, fd],
  });
  running.set(name, child);
  child.on('exit', (code, signal) => {
    if (running.get(name) === child) running.delete(name);
    if (!child.expected && !stopping) {
      surprises.push(`${name} exited by itself (${code ?? signal})`);
      console.error(`\n✖ ${name} exited by itself (${code ?? signal})`);
      showLog(name);
    }
  });
  return child;
}

/** Waits until the process answers 200 on /health/ready; resolves to the time it took (ms). */
export async function waitReady(name, timeoutMs = 60_000) {
  const started = Date.now();
  const url = `http://127.0.0.1:${portOf(name)}/health/ready`;
  while (Date.now() - started < timeoutMs) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return Date.now() - started;
    if (!running.has(name)) break;
    await sleep(100);
  }
  showLog(name);
  throw new Error(`${name} is not ready at ${url} after ${(Date.now() - started) / 1000} s`);
}

/** Sends `signal`; for SIGKILL and SIGTERM resolves once the process has exited. */
export async function signal(name, sig) {
  const child = running.get(name);
  if (!child) throw new Error(`${name} is not running`);
  if (sig === 'SIGKILL' || sig === 'SIGTERM') child.expected = true;
  const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve();
  child.kill(sig);
  if (sig === 'SIGSTOP') paused.add(child);
  if (sig === 'SIGCONT') paused.delete(child);
  if (sig === 'SIGKILL' || sig === 'SIGTERM') {
    const [code, how] = await Promise.race([exited, sleep(15_000).then(() => ['timeout'])]);
    return { code, signal: how };
  }
}

/** SIGKILL, then a fresh process, ready: resolves to the restart's duration (ms). */
export async function killAndRestart(name) {
  await signal(name, 'SIGKILL');
  start(name);
  return waitReady(name);
}

const paused = new Set();

/** A restore step run (last first) on every way out: start_app, SIGCONT, proxies. */
export const onRestore = (step) => restores.push(step);

let stopping = false;
/** Resumes, stops and restores everything; then exits with `code`. */
export async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of paused) child.kill('SIGCONT');
  const children = [...running.values()];
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(children.map((c) => c.exitCode === null && once(c, 'exit'))), sleep(8000)]);
  for (const child of running.values()) child.kill('SIGKILL');
  for (const step of restores.reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`restore step failed: ${error.message}`);
    }
  }
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`\n${sig}: restoring what the suite stopped and stopping its processes…`);
    void shutdown(130);
  });
}
