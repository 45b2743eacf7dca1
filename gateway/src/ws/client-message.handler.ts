import { Injectable } from '@nestjs/common';
import type { RawData } from 'ws';
import { CLOSE, SocketRegistryService, type ClientSocket } from './socket-registry.service';

/**
 * How many frames a socket may send per window; one more closes it with 1008.
 * Generous for a client that pings every few seconds, and a bound on the work
 * (a JSON parse each) one socket can make a replica do.
 */
export const MAX_CLIENT_MESSAGES = 20;
export const CLIENT_MESSAGE_WINDOW_MS = 10_000;

interface Window {
  startedAt: number;
  count: number;
}

/**
 * What an authenticated client may send: `{"type":"ping"}`, answered with
 * `{"type":"pong","data":{}}` on the same socket. It lets a client (a browser
 * cannot send protocol-level pings) tell a live connection from a dead one.
 * Anything else is ignored rather than refused, so an older gateway keeps a
 * newer client's socket open; it still counts towards the flood limit.
 */
@Injectable()
export class ClientMessageHandler {
  private readonly windows = new WeakMap<ClientSocket, Window>();

  constructor(private readonly registry: SocketRegistryService) {}

  handle(client: ClientSocket, raw: RawData, isBinary: boolean): void {
    if (this.flooding(client)) return client.socket.close(CLOSE.POLICY_VIOLATION, 'too many messages');
    if (!isBinary && typeOf(raw) === 'ping') this.registry.send(client, { type: 'pong', data: {} });
  }

  private flooding(client: ClientSocket): boolean {
    const now = Date.now();
    const window = this.windows.get(client);
    if (!window || now - window.startedAt >= CLIENT_MESSAGE_WINDOW_MS) {
      this.windows.set(client, { startedAt: now, count: 1 });
      return false;
    }
    window.count += 1;
    return window.count > MAX_CLIENT_MESSAGES;
  }
}

/** The `type` of a JSON object message, or undefined for anything else. */
function typeOf(raw: RawData): unknown {
  try {
    const message: unknown = JSON.parse(raw.toString());
    return typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  } catch {
    return undefined;
  }
}
