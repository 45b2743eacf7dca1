import { environmentOf, loadCompose } from './support/compose';
import { buildArgsOf, DOCKERFILE, dockerfileOf } from './support/dockerfile';
import { PROCESSES } from './support/processes';
import { readText } from './support/repo';

const WORKSPACES = (JSON.parse(readText('package.json')) as { workspaces: string[] }).workspaces;
const manifestLine = /^COPY (\S+)\/package\.json \1\/$/;
const instructions = (text: string): string[] =>
  text.split('\n').filter((line) => line.trim() && !line.startsWith('#'));

/** The stages of the Dockerfile by name (the last, unnamed, as `runtime`), as written. */
function stages(): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const stage of readText(DOCKERFILE)
    .split(/^(?=FROM )/m)
    .slice(1)) {
    const name = / AS (\S+)$/m.exec(stage.split('\n')[0])?.[1] ?? 'runtime';
    found[name] = instructions(stage);
  }
  return found;
}

/** A stage's instructions before it declares its first build argument. */
function beforeArguments(stage: string[]): string[] {
  const first = stage.findIndex((line) => line.startsWith('ARG '));
  return first === -1 ? stage : stage.slice(0, first);
}

/** The instructions of the last stage: what the image that runs contains. */
const runtimeStage = (text: string): string[] => instructions(text.split(/^FROM /m).at(-1)!);

describe('the Dockerfile', () => {
  it.each(PROCESSES)(
    'builds $name with a value for every build argument it declares, and no other',
    (proc) => {
      const declared = [
        ...new Set([...readText(DOCKERFILE).matchAll(/^ARG (\w+)$/gm)].map(([, name]) => name)),
      ];
      expect(Object.keys(buildArgsOf(proc)).sort()).toEqual(declared.sort());
      expect(dockerfileOf(proc)).not.toMatch(/\$\{?[A-Z_]+/);
    },
  );

  // The reason for one Dockerfile of this order: what every image needs is built
  // once and shared through the layer cache, the arguments come in after it.
  it('installs every dependency and compiles @shop/shared before any build argument', () => {
    const { deps, build, 'prod-deps': prodDeps } = stages();
    expect(deps.filter((line) => line.startsWith('ARG '))).toEqual([]);
    expect(beforeArguments(build)).toContain('RUN npx tsc -b shared');
    expect(beforeArguments(prodDeps).filter((line) => manifestLine.test(line))).toHaveLength(
      WORKSPACES.length,
    );
  });

  it('installs from the manifests of every workspace, so npm ci sees the whole lockfile', () => {
    const copied = readText(DOCKERFILE)
      .split('\n')
      .map((line) => manifestLine.exec(line)?.[1])
      .filter(Boolean);
    // Once for the build's install, once for the production install.
    expect(copied).toEqual([...WORKSPACES, ...WORKSPACES]);
  });

  it('builds every stage on node:24-bookworm-slim', () => {
    const bases = [...readText(DOCKERFILE).matchAll(/^FROM (\S+)/gm)].map(([, image]) => image);
    expect(bases.filter((image) => !['node:24-bookworm-slim', 'deps'].includes(image))).toEqual([]);
  });

  it.each(PROCESSES)(
    '$name: the runtime stage holds production dependencies and dist/ only, run as node',
    (proc) => {
      const stage = runtimeStage(dockerfileOf(proc));
      const copies = stage.filter((line) => line.startsWith('COPY'));
      expect(copies).toEqual([
        'COPY --from=prod-deps /app ./',
        'COPY --from=build /app/shared/dist shared/dist',
        `COPY --from=build /app/${proc.dir}/dist ${proc.dir}/dist`,
      ]);
      expect(WORKSPACES).toContain(proc.dir);
      expect(dockerfileOf(proc)).toContain(
        `RUN npm ci --omit=dev --workspace ${proc.dir} --no-audit --no-fund`,
      );
      expect(stage).toEqual(
        expect.arrayContaining([
          'ENV NODE_ENV=production',
          `WORKDIR /app/${proc.dir}`,
          'USER node',
          'CMD ["node", "dist/main.js"]',
        ]),
      );
    },
  );

  it.each(PROCESSES)('$name: exposes the ports docker-compose.yml gives it', (proc) => {
    const env = environmentOf(loadCompose('docker-compose.yml').services[proc.name]);
    const exposed = /^EXPOSE (.+)$/m.exec(dockerfileOf(proc))?.[1].split(' ').map(Number);
    expect(exposed).toEqual([env.PORT, env.ADMIN_PORT].filter(Boolean).map(Number));
  });
});

describe('.dockerignore', () => {
  it('keeps local builds, dependencies, tests, git and env files out of the build context', () => {
    const ignored = readText('.dockerignore').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '**/test', '**/*.spec.ts', '.git', '.env']),
    );
  });
});
