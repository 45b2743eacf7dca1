import { z } from 'zod';
import { ConfigError } from './config.errors';
import { cameFromFile, readEnvFile, withEnvFile, type EnvFile } from './env-file.factory';

/**
 * Parses the settings against a schema, once, at start. A missing or
 * malformed variable stops the process with one line that names it, so a
 * misconfigured deployment fails at boot instead of at the first request.
 *
 * Where settings come from, first match wins:
 *   1. the environment (`env`);
 *   2. the `.env` file of the working directory, if there is one (only when
 *      `env` is the real `process.env`; pass `envFile` to choose another);
 *   3. the schema's defaults.
 * The merged values go through the same schema, so a bad value in the file is
 * refused exactly as in the environment, and the message names the file.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  envFile: EnvFile | undefined = env === process.env ? readEnvFileOrStop() : undefined,
): z.infer<S> {
  const result = schema.safeParse(withEnvFile(env, envFile));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue.path.join('.') || 'environment';
  const line = cameFromFile(variable, env, envFile)
    ? `Invalid configuration: ${variable} (from ${envFile!.path}): ${issue.message}. ` +
      `Fix ${variable} in ${envFile!.path}, or set it in the environment, and start again.`
    : `Invalid configuration: ${variable}: ${issue.message}. Set ${variable} and start again.`;
  stop(line, env === process.env);
}

function readEnvFileOrStop(): EnvFile | undefined {
  try {
    return readEnvFile();
  } catch (error) {
    stop(`Invalid configuration: ${(error as Error).message}. Fix or remove the file and start again.`, true);
  }
}

/** One line on stderr and exit 1 for a real start; a `ConfigError` in tests, which pass their own env. */
function stop(line: string, isRealStart: boolean): never {
  if (isRealStart && process.env.JEST_WORKER_ID === undefined) {
    process.stderr.write(line + '\n');
    process.exit(1);
  }
  throw new ConfigError(line);
}
