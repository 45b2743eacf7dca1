import { normalizeIP } from '@fastify/rate-limit';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { judgePath } from '../edge/path-guard.hook';
import type { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { isHandshake, limitHeadersOf, refusal, WS_PATH } from './ws-handshake.model';

export interface UpgradeGate {
  corsOrigins: readonly string[];
  /** The general limit; every handshake counts against its client address. */
  limiter?: RateLimiterService;
}

/**
 * What the public server's `upgrade` event runs before a socket exists: the
 * handshake counted in the general limit (429 over it; fails open without
 * Redis, as the edge does), then the path, the page's `Origin` and the
 * handshake itself checked. Every refusal is a bare status line carrying the
 * limit's and CORS headers, as the gateway's document says; `accept` runs for
 * the rest.
 */
export function gateUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  gate: UpgradeGate,
  accept: (url: URL) => void,
): void {
  socket.on('error', () => socket.destroy());
  const origin = request.headers.origin;
  const cors =
    origin && gate.corsOrigins.includes(origin) ? `Access-Control-Allow-Origin: ${origin}\r\n` : '';
  const refuse = (status: number, text: string, headers: string) =>
    void socket.end(refusal(status, text, headers));
  const check = (headers: string) => {
    const rawUrl = request.url ?? '';
    const url = new URL(rawUrl, 'http://gateway');
    if (judgePath(rawUrl) !== 'ok' || url.pathname !== WS_PATH || request.method !== 'GET')
      return refuse(404, 'Not Found', headers);
    // A browser always sends Origin: a page of another site may not open a socket with its user's ticket.
    if (origin !== undefined && !gate.corsOrigins.includes(origin)) return refuse(403, 'Forbidden', headers);
    // What ws would refuse with a bare 400, refused here with the headers.
    if (!isHandshake(request)) return refuse(400, 'Bad Request', headers);
    accept(url);
  };
  if (!gate.limiter) return check(cors);
  gate.limiter.take(`ip:${normalizeIP(request.socket.remoteAddress ?? '')}`, (error, verdict) => {
    if (error || !verdict) return check(cors);
    const headers = limitHeadersOf(verdict) + cors;
    if (verdict.exceeded)
      return refuse(429, 'Too Many Requests', `${headers}Retry-After: ${verdict.resetSeconds}\r\n`);
    check(headers);
  });
}
