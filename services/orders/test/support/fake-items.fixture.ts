import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { closeServer } from '@shop/shared/testing';

/** How the fake answers: like items, with an error status, or not at all. */
export type FakeItemsMode = { kind: 'normal' } | { kind: 'status'; status: number } | { kind: 'hang' };

export interface SeenRequest {
  path: string;
  authorization?: string;
  requestId?: string;
}

/**
 * A stand-in for the items service (a separate process in production) that a
 * test can switch between answering prices, failing, hanging and being gone.
 */
export class FakeItems {
  readonly requests: SeenRequest[] = [];
  mode: FakeItemsMode = { kind: 'normal' };
  /** Added before every answer, to hold concurrent requests in flight together. */
  delayMs = 0;
  private readonly prices = new Map<string, string>();
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((request, response) => this.answer(request, response));
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Registers an item with a price and returns its id. */
  item(price: string, id: string = randomUUID()): string {
    this.prices.set(id, price);
    return id;
  }

  async start(): Promise<this> {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await this.listen(0);
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Closes the port: connections are refused until `up()`. */
  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await closeServer(this.server);
  }

  /** Listens again on the same port. */
  up(): Promise<void> {
    return this.listen(this.port);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await closeServer(this.server);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', resolve));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const header = (name: string) => request.headers[name] as string | undefined;
    this.requests.push({
      path: request.url ?? '',
      authorization: header('authorization'),
      requestId: header('x-request-id'),
    });
    if (this.mode.kind === 'hang') return;
    if (this.delayMs > 0) {
      setTimeout(() => this.reply(request, response), this.delayMs);
      return;
    }
    this.reply(request, response);
  }

  private reply(request: IncomingMessage, response: ServerResponse): void {
    if (this.mode.kind === 'status') {
      response.writeHead(this.mode.status, { 'content-type': 'application/problem+json' }).end('{}');
      return;
    }
    const id = /^\/api\/v1\/items\/([^/?]+)$/.exec(request.url ?? '')?.[1];
    const price = id ? this.prices.get(id) : undefined;
    if (!id || price === undefined) {
      response.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404}');
      return;
    }
    const now = new Date().toISOString();
    const item = {
      id,
      name: `item ${id}`,
      description: null,
      price,
      tax: null,
      ownerId: randomUUID(),
      createdAt: now,
      updatedAt: now,
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(item));
  }
}
