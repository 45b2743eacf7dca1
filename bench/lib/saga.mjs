// The saga, open loop: orders are sent at fixed scheduled times whatever the system answers,
// and each order's latency runs from its SCHEDULED send time to the moment the client learns
// its outcome. Preferably that is the `order.confirmed` push on the owner's WebSocket
// (gateway /ws, token in the `bearer` subprotocol). A gateway without /ws is measured by
// polling GET /api/v1/orders/{id} every POLL_MS instead: an upper bound, late by up to one
// poll interval and one GET, and the polling itself loads the system.
//
// An order whose outcome has not come within the timeout is not a failure of the bench but a
// measurement: its latency is Infinity, so it shows in the tail of the percentiles.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export const POLL_MS = 5;

async function json(url, init) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Opens the owner's socket on the gateway's /ws; resolves with a listener once the
 * gateway says `ready`, or with null if the gateway does not serve /ws.
 */
export async function openPushes(gateway, token, timeoutMs = 3000) {
  const socket = new globalThis.WebSocket(`${gateway.replace(/^http/, 'ws')}/ws`, ['bearer', token]);
  const outcomes = new Map(); // orderId → { type, at }
  const waiters = new Map(); // orderId → resolve
  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    socket.addEventListener('error', () => (clearTimeout(timer), resolve(false)));
    socket.addEventListener('close', () => (clearTimeout(timer), resolve(false)));
    socket.addEventListener('message', (message) => {
      const at = performance.now();
      const push = JSON.parse(String(message.data));
      if (push.type === 'ready') return (clearTimeout(timer), resolve(true));
      const orderId = push.data?.orderId;
      if (!orderId) return;
      outcomes.set(orderId, { type: push.type, at });
      waiters.get(orderId)?.();
    });
  });
  if (!ready) {
    socket.close();
    return null;
  }
  let closed = false;
  socket.addEventListener('close', () => (closed = true));
  return {
    /** Resolves with the outcome push of `orderId` (which may already have arrived). */
    outcome(orderId, timeoutMs) {
      if (outcomes.has(orderId)) return Promise.resolve(outcomes.get(orderId));
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ type: closed ? 'socket closed' : 'no push' }), timeoutMs);
        waiters.set(orderId, () => {
          clearTimeout(timer);
          waiters.delete(orderId);
          resolve(outcomes.get(orderId));
        });
      });
    },
    close: () => socket.close(),
  };
}

/** Wall-clock ms (the clock Postgres stamps rows with) of a performance.now() reading. */
export const wallClock = (at) => performance.timeOrigin + at;

/**
 * Places `rate` orders a second for `seconds`. Resolves with one record per confirmed order:
 * `{ orderId, scheduledAt, confirmedAt }` (wall-clock ms; confirmedAt undefined when it timed
 * out), `latencyMs` (scheduled → outcome seen, Infinity when timed out) and `placedMs`
 * (scheduled → 201 received).
 */
export async function openLoop({ gateway, token, itemId, rate, seconds, pushes, timeoutMs = 20_000 }) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const count = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const failures = [];
  const orders = [];
  let lag = 0;

  const outcome = async (orderId, scheduled) => {
    if (pushes) {
      const push = await pushes.outcome(orderId, Math.max(timeoutMs - (performance.now() - scheduled), 0));
      return push.type === 'no push' ? { timedOut: true } : push;
    }
    for (;;) {
      if (performance.now() - scheduled > timeoutMs) return { timedOut: true };
      await sleep(POLL_MS);
      const polled = await json(`${gateway}/api/v1/orders/${orderId}`, { headers });
      if (polled.status !== 200) return { type: `GET order → ${polled.status}` };
      if (polled.body.status === 'CONFIRMED') return { type: 'order.confirmed', at: performance.now() };
      if (polled.body.status !== 'PENDING') return { type: `ended ${polled.body.status}` };
    }
  };

  const one = async (scheduled, index) => {
    const placed = await json(`${gateway}/api/v1/orders`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': `bench-${rate}-${index}-${scheduled}` },
      body: JSON.stringify({ lines: [{ itemId, quantity: 1 }] }),
    });
    if (placed.status !== 201) return failures.push(`POST → ${placed.status} ${JSON.stringify(placed.body)}`);
    const placedMs = performance.now() - scheduled;
    const seen = await outcome(placed.body.id, scheduled);
    if (!seen.timedOut && seen.type !== 'order.confirmed')
      return failures.push(`order ${placed.body.id}: ${seen.type}`);
    orders.push({
      orderId: placed.body.id,
      scheduledAt: wallClock(scheduled),
      confirmedAt: seen.timedOut ? undefined : wallClock(seen.at),
      latencyMs: seen.timedOut ? Infinity : seen.at - scheduled,
      placedMs,
    });
  };

  const started = performance.now() + 20;
  const inFlight = [];
  for (let index = 0; index < count; index++) {
    const scheduled = started + index * interval;
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    lag = Math.max(lag, performance.now() - scheduled);
    inFlight.push(one(scheduled, index).catch((error) => failures.push(error.message)));
  }
  await Promise.all(inFlight);
  return { count, orders, failures, maxSendLagMs: lag };
}
