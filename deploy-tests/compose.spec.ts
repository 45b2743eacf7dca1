import { parse } from 'yaml';
import {
  COMPOSE_FILE,
  type ComposeFile,
  type ComposeService,
  dependenciesOf,
  environmentOf,
  healthcheckCommand,
  INFRA_COMPOSE_FILE,
  loadCompose,
} from './support/compose';
import { composeSchemaErrors } from './support/compose-schema';
import { brokerUsers, credentialsOf, matchesBrokerHash } from './support/credentials';
import {
  AHEAD_OF_CODE,
  configVariables,
  PROCESSES,
  requiredVariables,
  usedVariables,
} from './support/processes';
import { hasTool, itWhen, readText, run } from './support/repo';

const compose = loadCompose(COMPOSE_FILE);
const infra = loadCompose(INFRA_COMPOSE_FILE);

describe('the compose files', () => {
  const withDockerCompose = itWhen(hasTool('docker-compose'), 'docker-compose is not installed');
  for (const file of [COMPOSE_FILE, INFRA_COMPOSE_FILE]) {
    withDockerCompose(`${file} passes docker-compose config`, () => {
      const result = run('docker-compose', ['-f', file, 'config', '-q']);
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  }

  // The file as Compose validates it: merge keys resolved, variables left in place.
  const asComposeReadsIt = (file: string) => parse(readText(file), { merge: true }) as ComposeFile;
  for (const file of [COMPOSE_FILE, INFRA_COMPOSE_FILE]) {
    it(`${file} is valid against the Compose Specification schema`, () => {
      expect(composeSchemaErrors(asComposeReadsIt(file))).toEqual([]);
    });
  }

  it('the schema check refuses a misspelt key and a duration Compose cannot read', () => {
    const misspelt = asComposeReadsIt(COMPOSE_FILE);
    misspelt.services.users = { ...misspelt.services.users, helthcheck: {} } as ComposeService;
    expect(composeSchemaErrors(misspelt)).toEqual([
      expect.objectContaining({
        instancePath: '/services/users',
        params: { additionalProperty: 'helthcheck' },
      }),
    ]);
    const slow = asComposeReadsIt(INFRA_COMPOSE_FILE);
    slow.services.redis.healthcheck = { ...slow.services.redis.healthcheck, interval: '3 seconds' };
    expect(composeSchemaErrors(slow)).toEqual([
      expect.objectContaining({ instancePath: '/services/redis/healthcheck/interval' }),
    ]);
  });

  it('keep keys Debian docker-compose 1.29 rejects out (no top-level name or version)', () => {
    for (const file of [compose, infra]) {
      expect(file).not.toHaveProperty('name');
      expect(file).not.toHaveProperty('version');
    }
  });
});

describe.each(PROCESSES)('the $name process in docker-compose.yml', (proc) => {
  const service = compose.services[proc.name];
  const env = environmentOf(service ?? {});

  it('is built from the Dockerfile at the repository root, given its folder and ports', () => {
    const ports = [env.PORT, env.ADMIN_PORT].filter(Boolean).join(' ');
    expect(service.build).toEqual({ context: '.', args: { APP_DIR: proc.dir, APP_PORTS: ports } });
    expect(service.image).toBe(`shop/${proc.name}:dev`);
  });

  it('listens on its port from the spec', () => {
    expect(Number(env.PORT)).toBe(proc.port);
    if (proc.metricsPort !== proc.port) expect(Number(env.ADMIN_PORT)).toBe(proc.metricsPort);
  });

  it('gets every variable its config requires, and every dependency URL its code reads', () => {
    const needed = new Set([
      ...requiredVariables(proc),
      ...usedVariables(proc).filter((name) => name.endsWith('_URL')),
    ]);
    expect([...needed].filter((name) => !(name in env))).toEqual([]);
  });

  it('gets an environment its config accepts (as the process validates it at start)', () => {
    const result = proc.env.safeParse(env);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('gets no variable its config does not declare (a typo would be silently ignored)', () => {
    const known = new Set([...configVariables(proc), ...(AHEAD_OF_CODE[proc.name] ?? [])]);
    expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
  });

  it('reaches its dependencies by their compose service names, never localhost', () => {
    for (const [name, value] of Object.entries(env).filter(([name]) => name.endsWith('_URL')))
      expect({ name, host: new URL(value).hostname }).toEqual({
        name,
        host: expect.stringMatching(/^(postgres|rabbitmq|redis|users|items|orders|inventory)$/),
      });
  });

  it('is healthy only when /health/ready answers on its probe port', () => {
    const command = healthcheckCommand(service);
    expect(command).toContain('/health/ready');
    expect(command).toContain(proc.metricsPort === proc.port ? 'process.env.PORT' : 'process.env.ADMIN_PORT');
  });

  if (proc.schema)
    it('starts after its schema is migrated by a one-shot service of the same image', () => {
      const migrate = compose.services[`migrate-${proc.name}`];
      expect(migrate.image).toBe(service.image);
      expect(migrate.build).toEqual(service.build);
      expect(migrate.command).toEqual(['node', 'dist/migrate.js']);
      expect(Object.keys(environmentOf(migrate))).toEqual(['DATABASE_ADMIN_URL']);
      expect(dependenciesOf(migrate)).toEqual({ postgres: 'service_healthy' });
      expect(dependenciesOf(service)[`migrate-${proc.name}`]).toBe('service_completed_successfully');
    });

  it('waits for healthy dependencies only', () => {
    for (const condition of Object.values(dependenciesOf(service)))
      expect(condition).toMatch(/^(service_healthy|service_completed_successfully)$/);
  });
});

describe('scripts/images/compose-env.mjs (the environment the image check starts containers with)', () => {
  it.each(PROCESSES)('reads the same environment for $name as these tests do', (proc) => {
    const result = run('node', ['scripts/images/compose-env.mjs', proc.name], { PATH: process.env.PATH });
    const printed = Object.fromEntries(
      result.output
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(printed).toEqual(environmentOf(compose.services[proc.name]));
  });
});

describe('credentials in docker-compose.yml', () => {
  const postgres = environmentOf(compose.services.postgres);

  it.each(PROCESSES.filter((proc) => proc.schema))(
    '$name connects as its runtime role with the password the bootstrap gives it',
    (proc) => {
      const url = credentialsOf(environmentOf(compose.services[proc.name]).DATABASE_URL);
      expect(url).toEqual({
        user: `${proc.name}_svc`,
        password: postgres[`${proc.name.toUpperCase()}_DB_PASSWORD`],
        database: 'shop',
      });
    },
  );

  it('migrations connect as the superuser the postgres container creates', () => {
    for (const proc of PROCESSES.filter((candidate) => candidate.schema)) {
      const url = credentialsOf(environmentOf(compose.services[`migrate-${proc.name}`]).DATABASE_ADMIN_URL);
      expect(url).toEqual({ user: 'postgres', password: postgres.POSTGRES_PASSWORD, database: 'shop' });
    }
  });

  it.each(PROCESSES)(
    '$name connects to RabbitMQ as its own user, whose password the broker knows',
    (proc) => {
      const url = credentialsOf(environmentOf(compose.services[proc.name]).RABBITMQ_URL);
      const user = brokerUsers('scripts/broker/definitions.json').find(
        ({ name }) => name === `${proc.name}_svc`,
      );
      expect(url.user).toBe(`${proc.name}_svc`);
      expect(user && matchesBrokerHash(user.password_hash, url.password)).toBe(true);
    },
  );
});

describe.each([
  ['docker-compose.yml', compose, 'deploy/rabbitmq/shop.conf'],
  ['docker-compose.infra.yml', infra, 'deploy/rabbitmq/infra.conf'],
])('the infrastructure of %s', (_file, file, rabbitConf) => {
  it('bootstraps Postgres with scripts/db and the runtime roles’ passwords', () => {
    const postgres = file.services.postgres;
    expect(postgres.image).toBe('postgres:16');
    expect(postgres.volumes).toContain('./scripts/db:/docker-entrypoint-initdb.d:ro');
    const env = environmentOf(postgres);
    for (const proc of PROCESSES.filter((candidate) => candidate.schema))
      expect(env[`${proc.name.toUpperCase()}_DB_PASSWORD`]).toBe(`${proc.name}_svc_dev_password`);
    // bootstrap.sh uses the init phase's local socket only when DATABASE_ADMIN_URL is unset.
    expect(env).not.toHaveProperty('DATABASE_ADMIN_URL');
    // Over TCP, so it is not "ready" while the init scripts still run on the socket.
    expect(healthcheckCommand(postgres)).toBe('CMD pg_isready -h 127.0.0.1 -U postgres -d shop');
  });

  it('imports the broker definitions at boot, from the path its config names', () => {
    const rabbitmq = file.services.rabbitmq;
    const conf = readText(rabbitConf);
    const loaded = /^load_definitions\s*=\s*(\S+)/m.exec(conf)?.[1];
    expect(rabbitmq.volumes).toContain(`./${rabbitConf}:/etc/rabbitmq/conf.d/20-shop.conf:ro`);
    const mounts = (rabbitmq.volumes ?? []).map((volume) => volume.split(':'));
    const definitions = mounts.find(([source]) => source === './scripts/broker/definitions.json');
    expect(definitions?.[1] === loaded || definitions?.[1].startsWith(`${loaded}/`)).toBe(true);
    expect(healthcheckCommand(rabbitmq)).toBe('CMD rabbitmq-diagnostics -q ping');
  });

  it('gives Redis a healthcheck', () => {
    expect(healthcheckCommand(file.services.redis)).toBe('CMD redis-cli ping');
  });
});

describe('docker-compose.infra.yml', () => {
  it('publishes Postgres, Redis and RabbitMQ on the loopback only, at the local default ports', () => {
    const published = Object.values(infra.services).flatMap((service) => service.ports ?? []);
    expect(published.sort()).toEqual(
      ['127.0.0.1:15672:15672', '127.0.0.1:5432:5432', '127.0.0.1:5672:5672', '127.0.0.1:6379:6379'].sort(),
    );
  });

  it('has the guest/guest broker user the local defaults and tests use', () => {
    const [guest] = brokerUsers('deploy/rabbitmq/dev-guest.json');
    expect(guest.name).toBe('guest');
    expect(matchesBrokerHash(guest.password_hash, 'guest')).toBe(true);
  });

  it('keeps its data apart from the whole system’s', () => {
    expect(Object.keys(infra.volumes ?? {}).filter((name) => name in (compose.volumes ?? {}))).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  it('publishes only the gateway’s public port to the network; everything else on the loopback', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => `${name} ${port}`),
    );
    expect(published.filter((entry) => !entry.includes(' 127.0.0.1:'))).toEqual(['gateway 8080:8080']);
    expect(published).toContain('gateway 127.0.0.1:8081:8081');
  });

  it('runs the tools the README points to', () => {
    for (const name of ['prometheus', 'grafana', 'jaeger', 'postgres', 'rabbitmq', 'redis'])
      expect(Object.keys(compose.services)).toContain(name);
  });

  it('mounts the monitoring folder for Prometheus and Grafana', () => {
    expect(compose.services.prometheus.volumes).toContain(
      './monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
    expect(compose.services.grafana.volumes).toEqual(
      expect.arrayContaining([
        './monitoring/grafana/provisioning:/etc/grafana/provisioning:ro',
        './monitoring/grafana/dashboards:/etc/grafana/dashboards:ro',
      ]),
    );
  });

  it('marks its defaults as development-only', () => {
    expect(readText(COMPOSE_FILE)).toMatch(/DEVELOPMENT ONLY/);
  });
});
