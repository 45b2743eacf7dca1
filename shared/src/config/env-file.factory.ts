import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** The variables of a `.env` file, and where it was read from (for error messages). */
export interface EnvFile {
  path: string;
  values: Readonly<Record<string, string>>;
}

/**
 * Reads `.env` in `dir` (the process's working directory by default) with
 * Node's own dotenv parser (`util.parseEnv`: `KEY=value`, quotes, `#`
 * comments, `export KEY=`). No file is not an error: undefined. The file is
 * parsed, never loaded into `process.env`, so nothing else in the process
 * (libraries, child processes) sees settings that did not go through a schema.
 */
export function readEnvFile(dir: string = process.cwd()): EnvFile | undefined {
  const path = resolve(dir, '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { path, values: parseEnv(text) as Record<string, string> };
}

/**
 * The environment over the file: a variable set in the environment wins, even
 * when set to an empty string, as with Node's `--env-file`. So a deployment
 * (k8s, compose, `npm start`) always decides, and the file only fills gaps on
 * a developer's machine.
 */
export function withEnvFile(env: NodeJS.ProcessEnv, file: EnvFile | undefined): NodeJS.ProcessEnv {
  return file ? { ...file.values, ...env } : env;
}

/** Whether the value of `variable` came from the file, i.e. the environment did not set it. */
export function cameFromFile(variable: string, env: NodeJS.ProcessEnv, file: EnvFile | undefined): boolean {
  return file !== undefined && env[variable] === undefined && file.values[variable] !== undefined;
}
