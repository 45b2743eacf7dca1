import { environmentOf, loadCompose } from './support/compose';
import { PROCESSES, type AppProcess } from './support/processes';
import { readText } from './support/repo';

const WORKSPACES = (JSON.parse(readText('package.json')) as { workspaces: string[] }).workspaces;
const dockerfileOf = (proc: AppProcess) => readText(`${proc.dir}/Dockerfile`);
const manifestLine = /^COPY (\S+)\/package\.json \1\/$/;

/** A Dockerfile with its own package, image name and ports replaced by placeholders. */
function shapeOf(proc: AppProcess): string {
  return dockerfileOf(proc)
    .split('\n')
    .map((line, index) => {
      if (index === 0) return line.replace(/^# The .+? image\./, '# The <name> image.');
      if (manifestLine.test(line)) return line; // the same list of every workspace in every file
      return line
        .replaceAll(`@shop/${proc.name}`, '<package>')
        .replaceAll(`shop/${proc.name}`, '<image>')
        .replaceAll(proc.dir, '<dir>')
        .replace(/^EXPOSE .+$/, 'EXPOSE <ports>');
    })
    .join('\n');
}

/** The instructions of the last stage: what the image that runs contains. */
const runtimeStage = (proc: AppProcess): string[] =>
  dockerfileOf(proc)
    .split(/^FROM /m)
    .at(-1)!
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'));

describe('the Dockerfiles', () => {
  it('have the same shape for every service and the gateway (only package and ports differ)', () => {
    const [first, ...others] = PROCESSES;
    for (const proc of others)
      expect({ [proc.name]: shapeOf(proc) }).toEqual({ [proc.name]: shapeOf(first) });
  });

  it.each(PROCESSES)(
    '$name: installs from the manifests of every workspace, so npm ci sees the whole lockfile',
    (proc) => {
      const copied = dockerfileOf(proc)
        .split('\n')
        .map((line) => manifestLine.exec(line)?.[1])
        .filter(Boolean);
      // Once for the build's install, once for the production install.
      expect(copied).toEqual([...WORKSPACES, ...WORKSPACES]);
    },
  );

  it.each(PROCESSES)('$name: builds every stage on node:24-bookworm-slim', (proc) => {
    const bases = [...dockerfileOf(proc).matchAll(/^FROM (\S+)/gm)].map(([, image]) => image);
    expect(bases.filter((image) => !['node:24-bookworm-slim', 'deps'].includes(image))).toEqual([]);
  });

  it.each(PROCESSES)(
    '$name: the runtime stage holds production dependencies and dist/ only, run as node',
    (proc) => {
      const stage = runtimeStage(proc);
      const copies = stage.filter((line) => line.startsWith('COPY'));
      expect(copies).toEqual([
        'COPY --from=prod-deps /app ./',
        'COPY --from=build /app/shared/dist shared/dist',
        `COPY --from=build /app/${proc.dir}/dist ${proc.dir}/dist`,
      ]);
      expect(dockerfileOf(proc)).toContain(
        `RUN npm ci --omit=dev --workspace @shop/${proc.name} --no-audit --no-fund`,
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
