import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { filesUnder, fromRoot, readText, ROOT } from './support/repo';

// docs/walkthrough.md's convention: in `backticks`, a repository path from the root, or
// a name; a name after a path on the same line is defined in that file (or under that
// folder); any other name must appear somewhere in the code. Commands (anything with a
// space), HTTP paths (`/ws`), URLs and scopes are not names and are not checked.

const WALKTHROUGH = 'docs/walkthrough.md';
const PATH_LIKE = /^[\w.-]+(\/[\w.@-]*)+$|^[\w.-]+\.(ts|mjs|js|json|ya?ml|sh|md)$/;
const NAME_LIKE = /^@?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(\(.*\))?$/;

interface Named {
  line: number;
  token: string;
  /** The path the name must be found in; undefined for a path, or a name checked everywhere. */
  within?: string;
  kind: 'path' | 'name';
}

/** Every checkable path and name, outside fenced code blocks, with the path each name belongs to. */
export function namedIn(markdown: string): Named[] {
  const named: Named[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, index) => {
    if (text.trimStart().startsWith('```')) fenced = !fenced;
    if (fenced) return;
    let within: string | undefined;
    for (const [, token] of text.matchAll(/`([^`]+)`/g)) {
      if (/\s|:\/\/|^\/|[<{*]/.test(token)) continue;
      if (PATH_LIKE.test(token)) {
        named.push({ line: index + 1, token, kind: 'path' });
        within = token;
        continue;
      }
      const name = NAME_LIKE.exec(token)?.[1];
      if (!name) continue;
      for (const part of name.split('.')) {
        // Bare lowercase words (`skip`, `password`) are field names unless a path vouches for them.
        if (within || /[A-Z_]/.test(part)) named.push({ line: index + 1, token: part, within, kind: 'name' });
      }
    }
  });
  return named;
}

const SOURCE = /\.(ts|mjs|js|json|ya?ml|sh)$|^Dockerfile$/;

/** The tracked files a name may be defined in: code, scripts and config, not the docs that cite them. */
function codeFiles(): string[] {
  const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
  // Not this file: its own examples of missing names would count as found.
  const skip = new Set(['package-lock.json', 'deploy-tests/walkthrough.spec.ts']);
  return tracked.filter(
    (file) => SOURCE.test(file.split('/').pop() ?? '') && !skip.has(file) && existsSync(fromRoot(file)),
  );
}

const contents = new Map<string, string>();
const read = (path: string): string => {
  if (!contents.has(path)) contents.set(path, readFileSync(fromRoot(path), 'utf8'));
  return contents.get(path)!;
};
const mentions = (text: string, name: string): boolean =>
  new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(text);

/** The paths and names of `markdown` that the repository does not have, as "line N: …" lines. */
export function missingIn(markdown: string, everywhere: string[] = codeFiles()): string[] {
  const missing: string[] = [];
  for (const { line, token, within, kind } of namedIn(markdown)) {
    if (kind === 'path') {
      if (!existsSync(fromRoot(token))) missing.push(`line ${line}: no such path ${token}`);
      continue;
    }
    if (within !== undefined) {
      if (!existsSync(fromRoot(within))) continue; // already reported as a missing path
      const files = statSync(fromRoot(within)).isDirectory() ? filesUnder(within, /./) : [within];
      if (!files.some((file) => mentions(read(file), token)))
        missing.push(`line ${line}: ${token} is not in ${within}`);
    } else if (!existsSync(fromRoot(token)) && !everywhere.some((file) => mentions(read(file), token))) {
      missing.push(`line ${line}: ${token} is nowhere in the code`);
    }
  }
  return missing;
}

describe('docs/walkthrough.md', () => {
  it('names only paths and symbols that exist', () => {
    expect(missingIn(readText(WALKTHROUGH))).toEqual([]);
  });

  it('names enough of them to be worth checking', () => {
    const named = namedIn(readText(WALKTHROUGH));
    expect(named.filter((n) => n.kind === 'path').length).toBeGreaterThan(50);
    expect(named.filter((n) => n.within !== undefined).length).toBeGreaterThan(50);
  });

  it('reports a missing path, a name absent from its file, and a name absent everywhere', () => {
    const page = [
      'Real: `services/users/src/auth/password-hasher.service.ts`: `PasswordHasherService`, `hash`.',
      'Gone: `services/users/src/auth/bcrypt-hasher.service.ts`: `BcryptHasher`.',
      'Moved: `shared/src/http/page.query.ts`: `PasswordHasherService`, `q`.',
      'Invented: `NoSuchThingAnywhere`, while `skip` and `GET /api/v1/items` are not names.',
      '```sh',
      'echo `NotCheckedInAFence`',
      '```',
    ].join('\n');
    expect(missingIn(page)).toEqual([
      'line 2: no such path services/users/src/auth/bcrypt-hasher.service.ts',
      'line 3: PasswordHasherService is not in shared/src/http/page.query.ts',
      'line 3: q is not in shared/src/http/page.query.ts',
      'line 4: NoSuchThingAnywhere is nowhere in the code',
    ]);
  });
});
