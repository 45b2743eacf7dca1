// Child processes of the bench: started with their output in a log file, stopped on exit,
// Ctrl-C or failure, along with every clean-up step registered.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = new URL('../..', import.meta.url).pathname;
const children = new Set();
const cleanups = [];

/**
 * Starts a long-running process; stdout and stderr go to `logFile` (no cost to this process).
 * With `ipc`, a Node child gets a message channel (`child.send`, `'message'`).
 */
export function start(name, command, args, { env = process.env, logFile, ipc = false } = {}) {
  const fd = openSync(logFile, 'a');
  const stdio = ['ignore', fd, fd, ...(ipc ? ['ipc'] : [])];
  const child = spawn(command, args, { cwd: ROOT, env, stdio });
  child.benchName = name;
  child.logFile = logFile;
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping && !child.expectedExit) {
      console.error(`\n✖ ${name} exited (${code ?? signal}); its log: ${logFile}`);
      lastLines(logFile).forEach((line) => console.error(`  ${line}`));
      void shutdown(1);
    }
  });
  return child;
}

export function lastLines(file, count = 8) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count);
  } catch {
    return [];
  }
}

/** Registers a clean-up step, run (last first) on exit, Ctrl-C and failure. */
export const onCleanup = (step) => cleanups.push(step);

let stopping = false;
export async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  const running = [...children];
  for (const child of running) child.kill('SIGTERM');
  await Promise.race([
    Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve)))),
    sleep(8000),
  ]);
  for (const child of children) child.kill('SIGKILL');
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`clean-up: ${error.message}`);
    }
  }
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping every process the bench started…`);
    void shutdown(130);
  });
}
process.on('uncaughtException', (error) => {
  console.error(`\n✖ ${error.stack ?? error}`);
  void shutdown(1);
});
process.on('unhandledRejection', (error) => {
  console.error(`\n✖ ${error?.stack ?? error}`);
  void shutdown(1);
});

/** Waits until `url` answers 200, or fails naming the process and its last log lines. */
export async function waitReady(child, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(
    `${child.benchName} not ready at ${url} after ${timeoutMs / 1000}s; log ${child.logFile}:\n` +
      lastLines(child.logFile).join('\n'),
  );
}
