// Resident memory of a process, as the kernel counts it (/proc/<pid>/status): VmRSS now,
// VmHWM (the highest VmRSS it has had) and RssFile, the part of VmRSS that is pages of mapped
// files — the node binary above all, the same pages in every Node process. VmRSS is what a
// container's memory limit is compared against.
import { readFileSync } from 'node:fs';

const MB = 1024; // the status file counts in kB

/** `{ rssMb, peakMb, fileMb }` of `pid`, or undefined once it is gone. */
export function residentMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / MB, peakMb: kb('VmHWM') / MB, fileMb: kb('RssFile') / MB };
  } catch {
    return undefined;
  }
}

/** Resident memory of each named process now: `{ name: { rssMb, peakMb, fileMb } }`. */
export function memorySnapshot(pids) {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, residentMemory(pid)]));
}
