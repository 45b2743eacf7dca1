// Reading a process's Prometheus counters, summed over its replicas.
import * as supervisor from './supervisor.mjs';

/** The sum of `name{...}` samples whose labels include every `labels` pair, over `processes`. */
export async function counter(processes, name, labels = {}) {
  let total = 0;
  for (const process of processes) {
    const text = await fetch(`http://127.0.0.1:${supervisor.portOf(process)}/metrics`).then((r) => r.text());
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`)) continue;
      if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
        total += Number(line.split(' ').at(-1));
    }
  }
  return total;
}
