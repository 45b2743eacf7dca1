// Load generation with Debian's wrk (one thread, fixed connections) and its own CPU time:
// run under a shell that reports its children's CPU (/proc/self/stat cutime + cstime).
import { spawn } from 'node:child_process';

const UNIT = { us: 1e-3, ms: 1, s: 1000, m: 60_000 };
const toMs = (text) => {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  return match ? Number(match[1]) * UNIT[match[2]] : NaN;
};

/** Runs wrk against `url` for `seconds` with `connections`; returns its figures. */
export function wrk(url, { seconds, connections, token }) {
  const script = 'wrk "$@"; echo; echo "CHILD_STAT $(cat /proc/$$/stat)"';
  const args = [
    '-c',
    script,
    'sh',
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    '--timeout',
    '5s',
  ];
  if (token) args.push('-H', `Authorization: Bearer ${token}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('sh', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const requests = Number(/(\d+) requests in ([\d.]+)(\w+)/.exec(out)?.[1]);
      const duration = /\d+ requests in ([\d.]+\w+)/.exec(out)?.[1];
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p50 = toMs(/\s50%\s+([\d.]+\w+)/.exec(out)?.[1] ?? '');
      const p99 = toMs(/\s99%\s+([\d.]+\w+)/.exec(out)?.[1] ?? '');
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
      const stat = /CHILD_STAT .*\) (.*)$/m.exec(out)?.[1].split(' ');
      const cpu = stat ? (Number(stat[13]) + Number(stat[14])) / 100 : NaN;
      if (code !== 0 || !Number.isFinite(requests) || !Number.isFinite(rps)) {
        reject(new Error(`wrk failed (exit ${code}) against ${url}:\n${out}`));
        return;
      }
      resolve({ requests, duration, rps, p50, p99, non2xx, socketErrors, cpu, raw: out });
    });
  });
}
