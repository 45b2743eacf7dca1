import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { connect, type AddressInfo } from 'node:net';
import { createGatewayApp } from '../../src/gateway-app.factory';
import { loadGatewayConfig } from '../../src/gateway.config';
import { AdminServerService } from '../../src/observability/admin-server.service';
import { AUDIENCE, ISSUER } from './token-minter.fixture';

export interface GatewayUnderTest {
  app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>` of the public server. */
  url: string;
  port: number;
  /** Fetches the admin server's /metrics text (through `inject`, no port needed). */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/** A Redis key prefix no other test run shares. */
export const uniquePrefix = (name: string) => `test:${name}:${randomBytes(4).toString('hex')}:`;

/** The gateway in this process, listening on a free port, configured like production but for `env`. */
export async function startGateway(env: Record<string, string>): Promise<GatewayUnderTest> {
  const config = loadGatewayConfig({
    PORT: '0',
    ADMIN_PORT: '0',
    LOG_LEVEL: 'silent',
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    ...env,
  });
  const app = await createGatewayApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const admin = app.get(AdminServerService);
  return {
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    metrics: async () => (await admin.fastify.inject({ method: 'GET', url: '/metrics' })).body,
    close: () => app.close(),
  };
}

/** What came back on a raw socket: status code, headers (lower-cased) and body. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends a request line exactly as written. HTTP clients (fetch, undici)
 * normalise `..` and `//` away before sending, which would hide the very
 * spellings the path guard exists to refuse.
 */
export function rawRequest(
  port: number,
  target: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const lines = [`${method} ${target} HTTP/1.1`, 'Host: gateway.test', 'Connection: close'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    socket.on('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers: parsed, body: rest.join('\r\n\r\n') });
    });
  });
}

/** The value of one sample in Prometheus text, 0 when absent. */
export function sample(metricsText: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
