import { COMPOSE_FILE, environmentOf, healthcheckCommand, loadCompose } from './support/compose';
import { credentialsOf, matchesBrokerHash, usersOfDefinitions } from './support/credentials';
import { canRender, containerEnv, find, renderK8s, templateOf, valuesOf } from './support/k8s';
import { PROCESSES } from './support/processes';
import { itWhen } from './support/repo';

/**
 * Values that differ between the two on purpose. In Kubernetes one proxy (the
 * ingress controller) stands in front of the gateway and adds the client's
 * address to X-Forwarded-For; in compose clients connect directly. Compose
 * runs Jaeger and traces every process; the cluster has no trace collector,
 * so tracing is off there (an empty endpoint).
 */
const TRACING = ['OTEL_EXPORTER_OTLP_ENDPOINT'];
const DIFFERENT_ON_PURPOSE: Record<string, string[]> = {
  users: TRACING,
  items: TRACING,
  orders: TRACING,
  inventory: TRACING,
  gateway: ['TRUST_PROXY', ...TRACING],
};

const compose = loadCompose(COMPOSE_FILE);
const withKubectl = itWhen(canRender, 'kubectl is not installed');

describe.each(PROCESSES)('$name in docker-compose.yml and in k8s', (proc) => {
  const composeEnv = environmentOf(compose.services[proc.name]);
  const container = () => templateOf(find(renderK8s(), 'Deployment', proc.name)).spec!.containers[0];
  const k8sEnv = () => containerEnv(container(), renderK8s());

  withKubectl('run the same image', () => {
    expect(container().image).toBe(compose.services[proc.name].image);
  });

  withKubectl('listen on the same container ports', () => {
    const ports = container().ports!.map((port) => port.containerPort);
    expect(ports).toEqual([composeEnv.PORT, composeEnv.ADMIN_PORT].filter(Boolean).map(Number));
  });

  withKubectl('get the same environment variables', () => {
    expect(Object.keys(k8sEnv()).sort()).toEqual(Object.keys(composeEnv).sort());
  });

  withKubectl('give them the same values, apart from the documented differences', () => {
    const same = (env: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(env).filter(([name]) => !(DIFFERENT_ON_PURPOSE[proc.name] ?? []).includes(name)),
      );
    expect(same(k8sEnv())).toEqual(same(composeEnv));
  });

  withKubectl('give it an environment its config accepts', () => {
    const result = proc.env.safeParse(k8sEnv());
    expect(result.error?.issues ?? []).toEqual([]);
  });

  withKubectl('probe readiness on the same path and port', () => {
    const readiness = container().readinessProbe!.httpGet!;
    const port = container().ports!.find((candidate) => candidate.name === readiness.port)!.containerPort;
    const probeVariable = /process\.env\.([A-Z_]+)/.exec(healthcheckCommand(compose.services[proc.name]))![1];
    expect(readiness.path).toBe('/health/ready');
    expect(healthcheckCommand(compose.services[proc.name])).toContain(readiness.path);
    expect(port).toBe(Number(composeEnv[probeVariable]));
  });

  if (proc.schema)
    withKubectl('migrate with the same admin URL', () => {
      const [migrate] = templateOf(find(renderK8s(), 'Deployment', proc.name)).spec!.initContainers!;
      expect(containerEnv(migrate, renderK8s())).toEqual(
        environmentOf(compose.services[`migrate-${proc.name}`]),
      );
    });
});

describe('credentials in k8s', () => {
  /** The users in the definitions.json of the Secret the RabbitMQ StatefulSet mounts. */
  const brokerUsersOfK8s = () => {
    const volumes = templateOf(find(renderK8s(), 'StatefulSet', 'rabbitmq')).spec!.volumes ?? [];
    const secretName = volumes.find((volume) => volume.name === 'definitions')?.secret?.secretName;
    return usersOfDefinitions(valuesOf(find(renderK8s(), 'Secret', secretName!))['definitions.json']);
  };
  const postgresEnv = () =>
    containerEnv(templateOf(find(renderK8s(), 'StatefulSet', 'postgres')).spec!.containers[0], renderK8s());

  withKubectl('give every runtime role the password the Postgres bootstrap sets', () => {
    for (const proc of PROCESSES.filter((candidate) => candidate.schema)) {
      const env = containerEnv(
        templateOf(find(renderK8s(), 'Deployment', proc.name)).spec!.containers[0],
        renderK8s(),
      );
      expect(credentialsOf(env.DATABASE_URL)).toEqual({
        user: `${proc.name}_svc`,
        password: postgresEnv()[`${proc.name.toUpperCase()}_DB_PASSWORD`],
        database: 'shop',
      });
    }
  });

  withKubectl('give migrations the superuser password Postgres is initialised with', () => {
    const [migrate] = templateOf(find(renderK8s(), 'Deployment', 'users')).spec!.initContainers!;
    expect(credentialsOf(containerEnv(migrate, renderK8s()).DATABASE_ADMIN_URL).password).toBe(
      postgresEnv().POSTGRES_PASSWORD,
    );
  });

  withKubectl(
    'never give Postgres DATABASE_ADMIN_URL (bootstrap.sh would skip the init-phase socket)',
    () => {
      expect(postgresEnv()).not.toHaveProperty('DATABASE_ADMIN_URL');
    },
  );

  withKubectl('give every process a broker user whose password is in the definitions RabbitMQ loads', () => {
    for (const proc of PROCESSES) {
      const env = containerEnv(
        templateOf(find(renderK8s(), 'Deployment', proc.name)).spec!.containers[0],
        renderK8s(),
      );
      const url = credentialsOf(env.RABBITMQ_URL);
      const user = brokerUsersOfK8s().find(({ name }) => name === url.user);
      expect(url.user).toBe(`${proc.name}_svc`);
      expect(user && matchesBrokerHash(user.password_hash, url.password)).toBe(true);
    }
  });
});
