import { Injectable } from '@nestjs/common';
import { WebSocket } from 'ws';
import { GatewayMetrics } from '../observability/gateway.metrics';

/** A server message: JSON `{type, data}`. */
export interface Push {
  type: string;
  data: unknown;
}

/** An authenticated socket and what its token says. */
export interface ClientSocket {
  socket: WebSocket;
  userId: string;
  scopes: readonly string[];
}

/** WebSocket close codes the gateway uses (RFC 6455 §7.4.1). */
export const CLOSE = { POLICY_VIOLATION: 1008, GOING_AWAY: 1001 } as const;

/**
 * The authenticated sockets of this replica, by user: who gets which push,
 * and whose sockets to close. Another replica's sockets are its own business;
 * each hears every event through its own queue.
 */
@Injectable()
export class SocketRegistryService {
  private readonly byUser = new Map<string, Set<ClientSocket>>();

  constructor(private readonly metrics: GatewayMetrics) {}

  /** How many sockets the user holds here now. */
  countOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  add(client: ClientSocket): void {
    const sockets = this.byUser.get(client.userId) ?? new Set<ClientSocket>();
    sockets.add(client);
    this.byUser.set(client.userId, sockets);
    this.metrics.websocketConnections.inc();
  }

  remove(client: ClientSocket): void {
    const sockets = this.byUser.get(client.userId);
    if (!sockets?.delete(client)) return;
    if (sockets.size === 0) this.byUser.delete(client.userId);
    this.metrics.websocketConnections.dec();
  }

  /** Pushes to the user's own sockets, never anyone else's. */
  sendToUser(userId: string, push: Push): void {
    for (const client of this.byUser.get(userId) ?? []) this.send(client, push);
  }

  /** Pushes to every socket whose token holds the scope. */
  sendToScope(scope: string, push: Push): void {
    for (const sockets of this.byUser.values())
      for (const client of sockets) if (client.scopes.includes(scope)) this.send(client, push);
  }

  /** Pushes to every socket of this replica; the other replicas do the same with theirs. */
  sendToAll(push: Push): void {
    for (const sockets of this.byUser.values()) for (const client of sockets) this.send(client, push);
  }

  /** Closes every socket of the user (disabled or deleted). */
  closeUser(userId: string, reason: string): void {
    for (const client of this.byUser.get(userId) ?? []) client.socket.close(CLOSE.POLICY_VIOLATION, reason);
  }

  /** Closes every socket (shutdown): clients reconnect to another replica. */
  closeAll(): void {
    for (const sockets of this.byUser.values())
      for (const client of sockets) client.socket.close(CLOSE.GOING_AWAY, 'server shutting down');
  }

  /** Pushes to one socket, if it is still open: every push and reply goes through here and is counted. */
  send(client: ClientSocket, push: Push): void {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    client.socket.send(JSON.stringify(push));
    this.metrics.websocketMessages.inc({ type: push.type });
  }
}
