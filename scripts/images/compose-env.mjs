// The environment docker-compose.yml gives one service, as an env file
// (KEY=value lines) for `podman run --env-file`, so that check.sh starts each
// image as compose would. Variables are substituted as compose does
// (`${VAR:-default}` from this process's environment).
//
//   node scripts/images/compose-env.mjs SERVICE [--database NAME] [KEY=VALUE ...]
//     --database NAME   point every Postgres URL at database NAME (and set SHOP_DB_NAME)
//     KEY=VALUE         add or override a variable (e.g. PORT=13001)
//   node scripts/images/compose-env.mjs --services
//     the compose service names, one a line (check.sh maps each to 127.0.0.1)
//   node scripts/images/compose-env.mjs --build-args SERVICE
//     the build arguments compose builds SERVICE's image with, as KEY=value lines
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const COMPOSE_FILE = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

/** `${VAR:-default}`, `${VAR-default}`, `${VAR}`, `$VAR` and `$$`, as compose substitutes them. */
export function interpolate(text, env = process.env) {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced, operator, fallback, bare) => {
      if (match === '$$') return '$';
      const value = env[braced ?? bare];
      if (operator === ':-') return value ? value : (fallback ?? '');
      if (operator === '-') return value ?? fallback ?? '';
      return value ?? '';
    },
  );
}

export function loadCompose(file = COMPOSE_FILE) {
  return parse(readFileSync(file, 'utf8'), { merge: true });
}

/** One service's environment as name → value, after substitution. */
export function serviceEnvironment(service, compose = loadCompose()) {
  const definition = compose.services[service];
  if (!definition) throw new Error(`docker-compose.yml has no service "${service}"`);
  const environment = definition.environment ?? {};
  const entries = Array.isArray(environment)
    ? environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)])
    : Object.entries(environment);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolate(String(value ?? ''))]));
}

/** The `build.args` of one service as name → value, after substitution. */
export function buildArguments(service, compose = loadCompose()) {
  const definition = compose.services[service];
  if (!definition?.build) throw new Error(`docker-compose.yml builds no image for "${service}"`);
  const args = definition.build.args ?? {};
  const entries = Array.isArray(args)
    ? args.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)])
    : Object.entries(args);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolate(String(value ?? ''))]));
}

const asLines = (variables) =>
  Object.entries(variables)
    .map(([name, value]) => `${name}=${value}\n`)
    .join('');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [service, ...args] = process.argv.slice(2);
  if (!service) {
    console.error(
      'usage: compose-env.mjs SERVICE [--database NAME] [KEY=VALUE ...] | --services | --build-args SERVICE',
    );
    process.exit(2);
  }
  if (service === '--services') {
    console.log(Object.keys(loadCompose().services).join('\n'));
    process.exit(0);
  }
  if (service === '--build-args') {
    process.stdout.write(asLines(buildArguments(args[0])));
    process.exit(0);
  }
  const env = serviceEnvironment(service);
  for (let index = 0; index < args.length; index++) {
    if (args[index] === '--database') {
      const database = args[++index];
      for (const [name, value] of Object.entries(env))
        if (/^postgres(ql)?:\/\//.test(value)) {
          const url = new URL(value);
          url.pathname = `/${database}`;
          env[name] = url.toString();
        }
      if ('DATABASE_ADMIN_URL' in env) env.SHOP_DB_NAME = database;
    } else {
      const [name, ...value] = args[index].split('=');
      env[name] = value.join('=');
    }
  }
  process.stdout.write(asLines(env));
}
