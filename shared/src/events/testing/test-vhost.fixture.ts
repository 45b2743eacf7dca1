import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const DEFAULT_URL = 'amqp://guest:guest@127.0.0.1:5672';

export interface TestVhost {
  /** `shop_test_<timestamp>_<random>`. */
  name: string;
  /** This vhost as the administrator of the base URL (guest locally). */
  url: string;
  /** This vhost as another user, e.g. one made by scripts/broker/bootstrap.sh. */
  urlFor(user: string, password: string): string;
  /** Deletes the vhost with everything in it. */
  delete(): Promise<void>;
}

/**
 * Runs `rabbitmqctl` (or the command in `RABBITMQCTL`, e.g.
 * `docker exec rabbitmq rabbitmqctl`) and returns its standard output.
 */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const [command, ...prefix] = (process.env.RABBITMQCTL ?? 'rabbitmqctl').split(' ');
  const { stdout } = await promisify(execFile)(command, [...prefix, ...args]);
  return stdout;
}

/**
 * A throw-away RabbitMQ virtual host for one integration test file, so its
 * exchanges, queues and permissions never meet those of other runs or of a
 * running system. Needs `rabbitmqctl` on the broker's host (about 1 s to
 * create). The base URL is `RABBITMQ_TEST_URL`, else local guest.
 */
export async function createTestVhost(): Promise<TestVhost> {
  const base = new URL(process.env.RABBITMQ_TEST_URL ?? DEFAULT_URL);
  const name = `shop_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, decodeURIComponent(base.username), '.*', '.*', '.*');

  const urlFor = (user: string, password: string) => {
    const url = new URL(base);
    url.username = encodeURIComponent(user);
    url.password = encodeURIComponent(password);
    url.pathname = `/${encodeURIComponent(name)}`;
    return url.toString();
  };
  return {
    name,
    url: urlFor(decodeURIComponent(base.username), decodeURIComponent(base.password)),
    urlFor,
    delete: async () => {
      await rabbitmqctl('delete_vhost', name);
    },
  };
}
