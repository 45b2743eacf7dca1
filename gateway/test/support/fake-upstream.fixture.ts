import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake service received it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type FakeHandler = (request: SeenRequest, response: ServerResponse) => void;

/**
 * A stand-in for a service behind the gateway: records every request it gets
 * and answers with `handler` (by default 200 and the request echoed as JSON).
 * Tests prove the gateway refused something by finding nothing in `seen`.
 */
export class FakeUpstream {
  readonly seen: SeenRequest[] = [];
  handler: FakeHandler = echo;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const seen = {
          method: request.method!,
          url: request.url!,
          headers: request.headers,
          body: Buffer.concat(chunks),
        };
        this.seen.push(seen);
        this.handler(seen, response);
      });
    });
  }

  static async start(): Promise<FakeUpstream> {
    const upstream = new FakeUpstream();
    upstream.server.listen(0, '127.0.0.1');
    await once(upstream.server, 'listening');
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests to a path, leaving out the gateway's own JWKS and OpenAPI fetches. */
  requestsTo(pathPrefix: string): SeenRequest[] {
    return this.seen.filter((request) => request.url.startsWith(pathPrefix));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

function echo(request: SeenRequest, response: ServerResponse): void {
  sendJson(response, 200, { method: request.method, url: request.url });
}
