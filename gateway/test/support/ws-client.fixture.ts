import { WebSocket } from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/** A test client: every message it got, and promises for its first message and its close. */
export interface TestSocket {
  ws: WebSocket;
  messages: { type: string; data: Record<string, unknown> }[];
  /** The `ready` message: the gateway has accepted the credentials. */
  ready: Promise<void>;
  closed: Promise<Closed>;
  /** Resolves with the first message of `type`, or rejects after `timeoutMs`. */
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export function openSocket(url: string, protocols?: string[], headers?: Record<string, string>): TestSocket {
  const ws = new WebSocket(url, protocols, { headers });
  const messages: TestSocket['messages'] = [];
  let isClosed = false;
  const closed = new Promise<Closed>((resolve) =>
    ws.on('close', (code: number, reason: Buffer) => {
      isClosed = true;
      resolve({ code, reason: reason.toString() });
    }),
  );
  ws.on('error', () => undefined);
  ws.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString())));
  const next = async (type: string, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.find((message) => message.type === type);
      if (found) return found.data;
      if (isClosed) throw new Error(`closed without a ${type} message`);
      if (Date.now() > deadline) throw new Error(`no ${type} message within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const ready = Promise.race([
    next('ready').then(() => undefined),
    closed.then(({ code, reason }) => {
      throw new Error(`closed with ${code} ${reason} before ready`);
    }),
  ]);
  ready.catch(() => undefined);
  return { ws, messages, ready, closed, next };
}
