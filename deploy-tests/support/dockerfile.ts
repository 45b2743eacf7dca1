import { loadCompose } from './compose';
import type { AppProcess } from './processes';
import { readText } from './repo';

/** The one Dockerfile every process's image is built from. */
export const DOCKERFILE = 'Dockerfile';

/** The build arguments docker-compose.yml builds a process's image with. */
export function buildArgsOf(proc: AppProcess): Record<string, string> {
  const args = loadCompose('docker-compose.yml').services[proc.name]?.build?.args ?? {};
  return Object.fromEntries(Object.entries(args).map(([name, value]) => [name, String(value)]));
}

/**
 * The Dockerfile as the build of one process reads it: each `${NAME}` or
 * `$NAME` replaced by compose's build argument, after the stage declares it
 * (`ARG NAME`), as Docker does; an undeclared one is left as written.
 */
export function dockerfileOf(proc: AppProcess): string {
  const args = buildArgsOf(proc);
  let declared = new Set<string>();
  return readText(DOCKERFILE)
    .split('\n')
    .map((line) => {
      if (/^FROM /.test(line)) declared = new Set();
      const arg = /^ARG ([A-Za-z_][A-Za-z0-9_]*)$/.exec(line)?.[1];
      if (arg) declared.add(arg);
      if (line.startsWith('#')) return line;
      return line.replace(
        /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
        (match, braced, bare) => {
          const name = (braced ?? bare) as string;
          return declared.has(name) && name in args ? args[name] : match;
        },
      );
    })
    .join('\n');
}
