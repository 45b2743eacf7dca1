// CPU time from /proc: of one process, of the whole machine, and a meter over named groups
// of processes whose members come and go (Postgres backends connect lazily and leave when
// their pool finds them idle), so that no group loses the time of a member that exited.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
const POLL_MS = 250;

/** CPU (user + system) and start time of a process, in seconds; undefined once it is gone. */
export function processTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      startedAt: Number(fields[19]) / TICKS_PER_SECOND, // since boot
    };
  } catch {
    return undefined;
  }
}

/** Pids of every process whose command name is `comm` (e.g. `beam.smp`). */
export function pidsOfName(comm) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === comm) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Busy CPU seconds of the whole machine, every process included (/proc/stat). */
export function machineBusySeconds() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

const uptimeSeconds = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);

/**
 * A CPU meter over named groups, each given as a function returning the group's pids now
 * (it may be async, e.g. a query of pg_stat_activity). The meter looks every 250 ms and
 * remembers each process it has seen (by pid and start time, so a reused pid is a new
 * process) with its last CPU reading: a member that exits keeps the time it used. A member
 * first seen after a sample counts from zero if it started after that sample.
 *
 * `await sample()` before and after, then `delta(before, after)`: CPU seconds per group.
 */
export function cpuMeter(groups) {
  const seen = Object.fromEntries(Object.keys(groups).map((name) => [name, new Map()]));
  const look = async () => {
    await Promise.all(
      Object.entries(groups).map(async ([name, pidsOf]) => {
        for (const pid of await pidsOf()) {
          const times = processTimes(pid);
          if (!times) continue;
          const key = `${pid}@${times.startedAt}`;
          const known = seen[name].get(key);
          if (known) known.cpu = times.cpu;
          else seen[name].set(key, { ...times, firstCpu: times.cpu });
        }
      }),
    );
  };
  let looking = Promise.resolve();
  const poll = () => (looking = looking.then(look).catch(() => undefined));
  const timer = setInterval(poll, POLL_MS).unref();
  return {
    async sample() {
      await poll();
      const at = uptimeSeconds();
      return {
        at,
        groups: Object.fromEntries(
          Object.entries(seen).map(([name, members]) => [
            name,
            new Map([...members].map(([key, { cpu }]) => [key, cpu])),
          ]),
        ),
      };
    },
    delta(before, after) {
      return Object.fromEntries(
        Object.keys(groups).map((name) => {
          let seconds = 0;
          for (const [key, cpu] of after.groups[name]) {
            const member = seen[name].get(key);
            const from =
              before.groups[name].get(key) ?? (member.startedAt >= before.at ? 0 : member.firstCpu);
            seconds += cpu - from;
          }
          return [name, seconds];
        }),
      );
    },
    stop: () => clearInterval(timer),
  };
}
