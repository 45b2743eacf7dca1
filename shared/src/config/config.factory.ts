import { z } from 'zod';
import { ConfigError } from './config.errors';

/**
 * Parses the environment against a schema, once, at start. A missing or
 * malformed variable stops the process with one line that names it, so a
 * misconfigured deployment fails at boot instead of at the first request.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue.path.join('.') || 'environment';
  const line = `Invalid configuration: ${variable}: ${issue.message}. Set ${variable} and start again.`;
  if (env === process.env && process.env.JEST_WORKER_ID === undefined) {
    process.stderr.write(line + '\n');
    process.exit(1);
  }
  throw new ConfigError(line);
}
