// The faults of scenario (a), in order. Each `run()` resolves when its fault has ended
// (the process is back and ready, the broker reachable again); `real` says whether it is
// the fault itself or a stand-in scoped to the suite (docs/reliability.md lists both).
import { setTimeout as sleep } from 'node:timers/promises';
import * as faults from './faults.mjs';
import * as supervisor from './supervisor.mjs';
import { REPLICAS } from './system.mjs';

const kill = (name) => ({
  name: `SIGKILL ${name}, restart`,
  real: true,
  run: () => supervisor.killAndRestart(name),
});

const pause = (names, ms) => ({
  name: `SIGSTOP ${names.join(' + ')} for ${ms / 1000} s`,
  real: true,
  run: async () => {
    for (const name of names) await supervisor.signal(name, 'SIGSTOP');
    await sleep(ms);
    for (const name of names) await supervisor.signal(name, 'SIGCONT');
  },
});

const brokerOutage = (ms, realStop) =>
  realStop
    ? {
        name: `RabbitMQ stop_app for ${ms / 1000} s, start_app`,
        real: true,
        run: async () => {
          await faults.stopBrokerApp();
          await sleep(ms);
          await faults.startBrokerApp();
        },
      }
    : {
        name: `broker away for ${ms / 1000} s (vhost connections closed, proxies cut)`,
        real: false,
        run: async () => {
          await faults.closeVhostConnections();
          faults.cutBroker();
          await sleep(ms);
          faults.restoreBroker();
        },
      };

const closeConnections = {
  name: 'RabbitMQ closes every connection of the vhost',
  real: true,
  run: () => faults.closeVhostConnections(),
};

const postgres = {
  name: `pg_terminate_backend on every backend of the suite's database`,
  real: true,
  run: async () => ({ terminated: await faults.terminatePostgresBackends() }),
};

const redis = {
  name: `CLIENT KILL of the suite processes' Redis clients`,
  real: true,
  run: async () => ({ killed: await faults.killRedisClients(supervisor.pids()) }),
};

/** Every fault once (short run); the long run goes round three times, with longer outages. */
export function faultPlan({ long, brokerStop }) {
  const rounds = long ? 3 : 1;
  const plan = [];
  for (let round = 0; round < rounds; round++) {
    const replica = (svc) => REPLICAS[svc][round % 2];
    plan.push(
      kill('users'),
      kill('items'),
      kill(replica('orders')),
      kill(replica('inventory')),
      kill(replica('gateway')),
      pause(REPLICAS.inventory, long ? 10_000 : 4000),
      brokerOutage(long ? 15_000 : 5000, brokerStop && round === 0),
      closeConnections,
      postgres,
      redis,
    );
  }
  return plan;
}
