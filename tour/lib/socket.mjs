// A WebSocket to the gateway's /ws that keeps every message it receives, so a
// step can wait for one ("the order.confirmed push arrives") and the demo can print them all.
import WebSocket from 'ws';
import { BASE_URL } from './system.mjs';

const wsUrl = (path) => `${BASE_URL.replace(/^http/, 'ws')}${path}`;

/**
 * Opens /ws with the access token as the subprotocol (`bearer, <token>`), as SPEC says,
 * or with a one-time `ticket` in the query. Resolves once open; rejects with the close code.
 */
export function openSocket({ token, ticket, onMessage = () => {} }) {
  const ws = ticket
    ? new WebSocket(wsUrl(`/ws?ticket=${encodeURIComponent(ticket)}`))
    : new WebSocket(wsUrl('/ws'), token ? ['bearer', token] : []);
  const messages = [];
  const waiters = new Set();
  ws.on('message', (raw) => {
    let message;
    try {
      message = JSON.parse(String(raw));
    } catch {
      message = { type: '(not JSON)', data: String(raw) };
    }
    messages.push(message);
    onMessage(message);
    for (const waiter of waiters) waiter(message);
  });
  const closed = new Promise((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const socket = {
    ws,
    messages,
    closed,
    close: () => ws.close(1000),
    /** The first message (already received or to come) that `matches`, or a rejection after `ms`. */
    waitFor(matches, ms = 10_000, what = 'a message') {
      const seen = messages.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${what} did not arrive within ${ms} ms (got: ${messages.map((m) => m.type).join(', ') || 'nothing'})`,
            ),
          );
        }, ms);
        const check = (message) => {
          if (!matches(message)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(message);
        };
        waiters.add(check);
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`/ws answered HTTP ${response.statusCode}`)),
    );
    ws.once('error', reject);
    closed.then(({ code }) => reject(Object.assign(new Error(`/ws closed with ${code}`), { code })));
  });
}

/** Opens /ws and resolves with its close code and reason once the server closes it (for refusals). */
export async function closeCodeOf(options) {
  try {
    const socket = await openSocket(options);
    return await Promise.race([
      socket.closed,
      new Promise((resolve) => setTimeout(() => resolve({ code: 'still open after 5 s' }), 5000)),
    ]).finally(() => socket.close());
  } catch (error) {
    return { code: error.code ?? error.message };
  }
}
