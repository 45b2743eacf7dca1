// Resident memory of a process, as the kernel counts it (/proc/<pid>/status): VmRSS now and
// VmHWM, the highest VmRSS it has had. What a container's memory limit is compared against.
import { readFileSync } from 'node:fs';

const MB = 1024; // the status file counts in kB

/** `{ rssMb, peakMb }` of `pid`, or undefined once it is gone. */
export function residentMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / MB, peakMb: kb('VmHWM') / MB };
  } catch {
    return undefined;
  }
}

/** Resident memory of each named process now: `{ name: { rssMb, peakMb } }`. */
export function memorySnapshot(pids) {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, residentMemory(pid)]));
}
