import { environmentOf, loadCompose } from './support/compose';
import { dockerfileOf } from './support/dockerfile';
import { canRender, containerEnv, find, renderK8s, templateOf } from './support/k8s';
import { PROCESSES } from './support/processes';
import { itWhen, run } from './support/repo';

/**
 * HOST decides who can reach a process. A container must listen on every
 * interface of its own network namespace, or the other containers, the
 * Services and the probes cannot reach it; each deployment says so itself
 * rather than leaning on the code's default. `npm start`, on a developer's
 * machine, binds to the loopback, so the services and /metrics stay off the
 * network.
 */
const EVERY_INTERFACE = '0.0.0.0';

const compose = loadCompose('docker-compose.yml');
const withKubectl = itWhen(canRender, 'kubectl is not installed');

/** The environment `npm start` gives each process (scripts/lib/system.mjs), with `env` as the caller's. */
function localStartEnv(env: Record<string, string> = {}): Record<string, Record<string, string>> {
  const script = `
    const { PROCESSES, processEnv } = await import('./scripts/lib/system.mjs');
    console.log(JSON.stringify(Object.fromEntries(PROCESSES.map((proc) => [proc.name, processEnv(proc)]))));`;
  const result = run(process.execPath, ['--input-type=module', '-e', script], {
    PATH: process.env.PATH,
    ...env,
  });
  expect(result.status).toBe(0);
  return JSON.parse(result.output) as Record<string, Record<string, string>>;
}

describe.each(PROCESSES)('HOST of $name', (proc) => {
  it('is every interface in its image (the Dockerfile’s runtime stage)', () => {
    const runtime = dockerfileOf(proc)
      .split(/^FROM /m)
      .at(-1)!;
    expect(runtime.split('\n')).toContain(`ENV HOST=${EVERY_INTERFACE}`);
  });

  it('is every interface in docker-compose.yml', () => {
    expect(environmentOf(compose.services[proc.name]).HOST).toBe(EVERY_INTERFACE);
  });

  withKubectl('is every interface in its Kubernetes Deployment', () => {
    const objects = renderK8s();
    const container = templateOf(find(objects, 'Deployment', proc.name)).spec!.containers[0];
    expect(containerEnv(container, objects).HOST).toBe(EVERY_INTERFACE);
  });
});

describe('HOST under npm start', () => {
  it('is the loopback for every process', () => {
    const hosts = Object.values(localStartEnv()).map((env) => env.HOST);
    expect(hosts).toEqual(PROCESSES.map(() => '127.0.0.1'));
  });

  it('is what the caller set, when they set it', () => {
    const hosts = Object.values(localStartEnv({ HOST: '::' })).map((env) => env.HOST);
    expect(hosts).toEqual(PROCESSES.map(() => '::'));
  });
});
