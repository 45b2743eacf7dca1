// Says which piece of infrastructure is unreachable and how to start it,
// instead of letting five processes fail with connection errors.
import net from 'node:net';
import { commonEnv, adminUrl } from './system.mjs';

const HOW_TO_START = {
  PostgreSQL:
    'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose -f docker-compose.infra.yml up -d)',
  Redis: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
  RabbitMQ: 'rabbitmq-server -detached',
};

function reachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves when every dependency answers; otherwise prints what to do and exits. */
export async function preflight() {
  const env = commonEnv();
  const targets = [
    ['PostgreSQL', new URL(adminUrl()), 5432],
    ['Redis', new URL(env.REDIS_URL), 6379],
    ['RabbitMQ', new URL(env.RABBITMQ_URL), 5672],
  ];
  const missing = [];
  for (const [name, url, defaultPort] of targets) {
    const port = Number(url.port || defaultPort);
    if (!(await reachable(url.hostname, port)))
      missing.push(
        `  ${name} is not reachable at ${url.hostname}:${port}. Start it with:\n    ${HOW_TO_START[name]}`,
      );
  }
  if (missing.length > 0) {
    console.error(`Cannot start Shop:\n${missing.join('\n')}`);
    process.exit(1);
  }
}
