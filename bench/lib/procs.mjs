// Child processes of the bench: started with their output in a log file, stopped on exit,
// Ctrl-C or failure, and their CPU time read from /proc.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = new URL('../..', import.meta.url).pathname;
const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
const children = new Set();
const cleanups = [];

/** Starts a long-running process; stdout and stderr go to `logFile` (no cost to this process). */
export function start(name, command, args, { env = process.env, logFile } = {}) {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
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

/** Seconds of CPU (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds of every process whose command name is `comm` (postgres backends, beam.smp …). */
export function cpuSecondsOfName(comm) {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name === comm) total += cpuSeconds(entry);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Busy CPU seconds of the whole machine, every process included (/proc/stat). */
export function machineBusySeconds() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/**
 * A CPU meter over named sources: each is a pid list (a function, so nginx's
 * workers are found) or a process name. `sample()` before and after, then `delta`.
 */
export function cpuMeter(sources) {
  const read = () =>
    Object.fromEntries(
      Object.entries(sources).map(([name, source]) => [
        name,
        typeof source === 'string'
          ? cpuSecondsOfName(source)
          : source().reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      ]),
    );
  return {
    sample: read,
    delta: (before, after) => Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]])),
  };
}

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
