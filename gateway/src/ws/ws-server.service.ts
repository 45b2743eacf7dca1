import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import type { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { ClientMessageHandler } from './client-message.handler';
import { CLOSE, SocketRegistryService, type ClientSocket } from './socket-registry.service';
import { WsAuthenticatorService, type Session } from './ws-authenticator.service';
import { chooseProtocol } from './ws-credentials.model';
import { gateUpgrade } from './ws-upgrade.hook';

/** A client sends at most small messages (ClientMessageHandler); a larger frame closes the socket with 1009. */
const MAX_INCOMING_BYTES = 4096;
/** Our outage (keys or Redis away), not the client's fault: it may retry. */
const TRY_AGAIN_LATER = 1013;
const SHUTDOWN_GRACE_MS = 1_000;

/**
 * `GET /ws` on the public port. The upgrade is answered before the
 * credentials are checked, so that a refusal reaches browsers as close code
 * 1008 rather than an opaque failed handshake. Once authenticated, a socket
 * is registered for pushes, may send `ping` messages, is closed when its
 * token expires, and is pinged every WS_HEARTBEAT_INTERVAL; one that missed
 * the previous ping is dropped.
 */
@Injectable()
export class WsServerService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WsServerService.name);
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: MAX_INCOMING_BYTES,
    perMessageDeflate: false,
    handleProtocols: chooseProtocol,
  });
  private readonly open = new Set<WebSocket>();
  private readonly answeredPing = new WeakSet<WebSocket>();
  private heartbeat?: NodeJS.Timeout;
  private limiter?: RateLimiterService;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly authenticator: WsAuthenticatorService,
    private readonly registry: SocketRegistryService,
    private readonly messages: ClientMessageHandler,
  ) {}

  /**
   * Counts every handshake against its client address in the general limit,
   * as the edge counts every request: a refusal carries the limit's headers,
   * and a client over the limit gets 429 instead of a socket.
   */
  limitHandshakesWith(limiter: RateLimiterService): void {
    this.limiter = limiter;
  }

  /** Takes over the upgrade requests of the public HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
    this.heartbeat = setInterval(() => this.ping(), this.config.WS_HEARTBEAT_INTERVAL).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const socket of this.open) socket.close(CLOSE.GOING_AWAY, 'server shutting down');
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (this.open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const socket of this.open) socket.terminate();
    this.wss.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    gateUpgrade(request, socket, { corsOrigins: this.config.CORS_ORIGINS, limiter: this.limiter }, (url) =>
      this.wss.handleUpgrade(request, socket, head, (ws) => void this.accept(ws, request, url)),
    );
  }

  private async accept(ws: WebSocket, request: IncomingMessage, url: URL): Promise<void> {
    this.open.add(ws);
    this.answeredPing.add(ws);
    ws.on('pong', () => this.answeredPing.add(ws));
    ws.on('error', (error) => this.logger.debug(`WebSocket error: ${error.message}`));
    ws.on('close', () => this.open.delete(ws));

    let session: Session | null;
    try {
      session = await this.authenticator.authenticate(request, url);
    } catch (error) {
      this.logger.warn(`Could not check WebSocket credentials: ${(error as Error).message}`);
      return ws.close(TRY_AGAIN_LATER, 'try again later');
    }
    if (ws.readyState !== 1) return;
    if (!session) return ws.close(CLOSE.POLICY_VIOLATION, 'invalid or missing credentials');
    if (this.registry.countOf(session.userId) >= this.config.WS_MAX_CONNECTIONS_PER_USER)
      return ws.close(CLOSE.POLICY_VIOLATION, 'too many connections');

    const client: ClientSocket = { socket: ws, userId: session.userId, scopes: session.scopes };
    this.registry.add(client);
    const expiry = setTimeout(
      () => ws.close(CLOSE.POLICY_VIOLATION, 'token expired'),
      session.exp * 1000 - Date.now(),
    );
    ws.on('close', () => {
      clearTimeout(expiry);
      this.registry.remove(client);
    });
    ws.on('message', (raw, isBinary) => this.messages.handle(client, raw, isBinary));
    ws.send(JSON.stringify({ type: 'ready', data: { userId: session.userId, expiresAt: session.exp } }));
  }

  private ping(): void {
    for (const ws of this.open) {
      if (!this.answeredPing.has(ws)) {
        ws.terminate();
        continue;
      }
      this.answeredPing.delete(ws);
      ws.ping();
    }
  }
}
