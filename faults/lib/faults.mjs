// The faults themselves, each scoped to the suite: its database's backends, its vhost's
// connections, its processes' Redis clients. Only `stopBrokerApp` touches the whole
// broker, and only when the run was told it may (--broker-stop or --long).
import { spawn } from 'node:child_process';
import { infra } from './infra.mjs';
import { onRestore } from './supervisor.mjs';
import { proxies } from './system.mjs';

/** pg_terminate_backend for every backend of the suite's database (not its own check connections). */
export async function terminatePostgresBackends() {
  const out = await infra.psql(
    `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
      WHERE datname = '${infra.db}' AND pid <> pg_backend_pid() AND application_name <> 'faults-checks'`,
  );
  return Number(out.trim());
}

/** The broker closes every connection of the suite's vhost (and no other). */
export const closeVhostConnections = () =>
  infra.sh('rabbitmqctl', ['--quiet', 'close_all_connections', '--vhost', infra.vhost, 'fault suite']);

/** The broker gone for the suite's processes: connections reset, new ones refused. */
export function cutBroker() {
  for (const proxy of Object.values(proxies)) {
    proxy.pause();
    proxy.cutAll();
  }
}

export function restoreBroker() {
  for (const proxy of Object.values(proxies)) proxy.resume();
}

/** Cuts one service's way to the broker only (scenario c's backlog). */
export function cutBrokerFor(service) {
  proxies[service].pause();
  proxies[service].cutAll();
}
export const restoreBrokerFor = (service) => proxies[service].resume();

let appStopped = false;
onRestore(async () => {
  if (appStopped) await startBrokerApp();
});

/** The real outage: RabbitMQ's application stopped on the node, for everyone. */
export async function stopBrokerApp() {
  appStopped = true;
  await infra.sh('rabbitmqctl', ['--quiet', 'stop_app']);
}

export async function startBrokerApp() {
  await infra.sh('rabbitmqctl', ['--quiet', 'start_app']);
  appStopped = false;
}

/** The Redis client ports of `pids` (from `ss -tnp`: their sockets to 6379). */
async function redisPortsOf(pids) {
  const out = await infra.sh('ss', ['-tnp', 'dst', '127.0.0.1:6379']);
  const ports = [];
  for (const line of out.split('\n')) {
    const pid = /pid=(\d+)/.exec(line)?.[1];
    const local = /\s127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:6379\s/.exec(line)?.[1];
    if (pid && local && pids.includes(Number(pid))) ports.push(local);
  }
  return ports;
}

/** CLIENT KILL for each Redis connection of the suite's processes; resolves to how many. */
export async function killRedisClients(pids) {
  const ports = await redisPortsOf(pids);
  if (ports.length === 0) return 0;
  const script = ports.map((port) => `CLIENT KILL ADDR 127.0.0.1:${port}\n`).join('');
  await new Promise((resolve, reject) => {
    const cli = spawn('redis-cli', [], { stdio: ['pipe', 'ignore', 'inherit'] });
    cli.on('error', reject);
    cli.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli exited ${code}`))));
    cli.stdin.end(script);
  });
  return ports.length;
}
