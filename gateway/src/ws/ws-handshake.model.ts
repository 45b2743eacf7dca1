import type { IncomingMessage } from 'node:http';
import type { LimitVerdict } from '../rate-limit/rate-limiter.service';

export const WS_PATH = '/ws';

/** RFC 6455 §4.2.1: an Upgrade to websocket, version 13, with a 16-byte base64 key. */
export function isHandshake(request: IncomingMessage): boolean {
  const key = request.headers['sec-websocket-key'];
  return (
    request.headers.upgrade?.toLowerCase() === 'websocket' &&
    request.headers['sec-websocket-version'] === '13' &&
    typeof key === 'string' &&
    /^[A-Za-z0-9+/]{22}==$/.test(key.trim())
  );
}

/** The general limit's headers, as the edge sends them on every answer, in raw HTTP. */
export function limitHeadersOf(verdict: LimitVerdict): string {
  return (
    `X-RateLimit-Limit: ${verdict.limit}\r\nX-RateLimit-Remaining: ${verdict.remaining}\r\n` +
    `X-RateLimit-Reset: ${verdict.resetSeconds}\r\n`
  );
}

/** A refused handshake: the status line, the given headers and no body. */
export function refusal(status: number, text: string, headers: string): string {
  return `HTTP/1.1 ${status} ${text}\r\n${headers}Connection: close\r\nContent-Length: 0\r\n\r\n`;
}
