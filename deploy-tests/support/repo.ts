import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root; every path in these tests is relative to it. */
export const ROOT = resolve(__dirname, '../..');

export const fromRoot = (...parts: string[]): string => join(ROOT, ...parts);

export const readText = (path: string): string => readFileSync(fromRoot(path), 'utf8');

export const exists = (path: string): boolean => existsSync(fromRoot(path));

/** Files under `dir` (repo-relative, recursive) whose name matches `pattern`. */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(fromRoot(dir))) {
    const path = `${dir}/${entry}`;
    if (entry === 'node_modules' || entry === 'dist') continue;
    if (statSync(fromRoot(path)).isDirectory()) found.push(...filesUnder(path, pattern));
    else if (pattern.test(entry)) found.push(path);
  }
  return found;
}

export interface RunResult {
  status: number | null;
  output: string;
}

/** Runs a command in the repository root and returns its exit status and combined output. */
export function run(command: string, args: string[], env?: NodeJS.ProcessEnv): RunResult {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: env ?? process.env });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Whether a command-line tool is on the PATH. */
export const hasTool = (command: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/**
 * `it` when `ready` holds, otherwise `it.skip` with the reason in the test's
 * name, so a skipped check says why in the report instead of passing silently.
 */
export function itWhen(ready: boolean, reason: string) {
  return (name: string, fn: jest.ProvidesCallback) =>
    ready ? it(name, fn) : it.skip(`${name} (skipped: ${reason})`, fn);
}
