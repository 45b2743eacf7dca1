// (b) Graceful restarts under load, as a Kubernetes rollout does them: each replicated
// process gets SIGTERM while serving. Its readiness must turn false before it stops
// listening, requests in flight must finish, none may fail, and its replacement takes over.
import { setTimeout as sleep } from 'node:timers/promises';
import { orderFigures, waitSettled } from '../lib/checks.mjs';
import { makeCustomers } from '../lib/client.mjs';
import { startLoad } from '../lib/load.mjs';
import * as report from '../lib/report.mjs';
import * as supervisor from '../lib/supervisor.mjs';
import { REPLICAS } from '../lib/system.mjs';

/** Polls /health/ready every 20 ms until the process stops listening: what it answered, in order. */
async function watchReadiness(name, until) {
  const seen = [];
  const url = `http://127.0.0.1:${supervisor.portOf(name)}/health/ready`;
  while (!until.done) {
    const state = await fetch(url, { signal: AbortSignal.timeout(500) }).then(
      (response) => (response.ok ? 'ready' : `not ready (${response.status})`),
      (error) => (error.cause?.code === 'ECONNREFUSED' ? 'closed' : 'no answer'),
    );
    if (seen.at(-1) !== state) seen.push(state);
    if (state === 'closed') break;
    await sleep(20);
  }
  return seen;
}

/** A request failed when it got a 5xx, or lost its connection after it was sent. */
const failedAnswers = (ops) =>
  ops
    .flatMap((op) => op.answers)
    .filter((a) => a.status >= 500 || (a.status === 0 && a.error !== 'ECONNREFUSED'));

export async function gracefulRestarts({ options, items }) {
  report.begin('b', 'graceful restarts under load (SIGTERM, as a rollout)');
  const customers = await makeCustomers(options.long ? 12 : 6, 'b');
  const load = startLoad({ customers, items, ratePerSecond: options.long ? 10 : 5, cancelShare: 0.1 });
  await sleep(1000);
  const rounds = options.long ? 2 : 1;
  const order = [...REPLICAS.orders, ...REPLICAS.inventory, ...REPLICAS.gateway];
  const targets =
    rounds === 1 ? [REPLICAS.orders[0], REPLICAS.inventory[0], REPLICAS.gateway[0]] : [...order, ...order];
  const outcomes = [];
  for (const name of targets) {
    const until = { done: false };
    const watching = watchReadiness(name, until);
    const started = Date.now();
    const exit = await supervisor.signal(name, 'SIGTERM');
    const stopMs = Date.now() - started;
    until.done = true;
    const readiness = await watching;
    supervisor.start(name);
    const readyMs = await supervisor.waitReady(name);
    const flippedFirst = readiness.some((state) => state.startsWith('not ready'));
    outcomes.push({ name, exit, stopMs, readiness, flippedFirst });
    report.progress(
      `${name}: exited ${exit.code ?? exit.signal} after ${stopMs} ms; readiness ${readiness.join(' → ')}; replacement ready in ${readyMs} ms`,
    );
    await sleep(1500);
  }
  const { ops } = await load.stop();
  await waitSettled(customers.map((c) => c.id));
  const figures = await orderFigures(ops, customers);
  for (const name of ['attempted', 'acknowledged', 'completed', 'lost', 'duplicated'])
    report.figure(name, figures[name]);
  const failures = failedAnswers(ops);
  report.figure('failed requests', failures.length);
  report.figure('recovery', '–');
  const byStatus = Object.entries(Object.groupBy(failures, (a) => a.status || a.error)).map(
    ([s, l]) => `${l.length}× ${s}`,
  );
  report.check(
    'no request fails during the restarts (0 failed requests)',
    failures.length === 0,
    byStatus.join(', '),
  );
  for (const { name, flippedFirst, readiness, exit } of outcomes) {
    report.check(
      `${name}: readiness turns false before it stops listening`,
      flippedFirst,
      readiness.join(' → '),
    );
    report.check(
      `${name}: exits by itself after SIGTERM (code 0)`,
      exit.code === 0,
      `exit ${exit.code ?? exit.signal}`,
    );
  }
  report.check(
    "every acknowledged order is in its owner's list and terminal",
    figures.lost + figures.notTerminal === 0,
    `${figures.lost} lost, ${figures.notTerminal} not terminal`,
  );
}
