import { REQUEST_ID_HEADER } from '@shop/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';

// Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, the
// client's to the gateway or the gateway's to a service, never the message.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'http2-settings',
]);

/**
 * The headers a service receives: the client's, minus hop-by-hop ones (and
 * any the client named in `Connection`), with the service's `Host`, the
 * request id, who asked (`X-Forwarded-For/-Proto/-Host`) and a request for an
 * uncompressed answer: the gateway compresses for the client, and a service
 * compressing too would only spend CPU twice.
 *
 * @param trustProxy whether an `X-Forwarded-For` received (from a trusted load balancer) is kept and extended
 */
export function headersForService(
  request: FastifyRequest,
  serviceHost: string,
  trustProxy: boolean,
): IncomingHttpHeaders {
  const received = request.headers;
  const named = namedInConnection(received.connection);
  const headers: IncomingHttpHeaders = {};
  for (const name in received) {
    if (!HOP_BY_HOP.has(name) && !named?.has(name)) headers[name] = received[name];
  }
  const client = request.socket.remoteAddress ?? '';
  const chain = trustProxy ? received['x-forwarded-for'] : undefined;
  headers.host = serviceHost;
  headers[REQUEST_ID_HEADER] = request.id;
  headers['x-forwarded-for'] = chain ? `${chain}, ${client}` : client;
  headers['x-forwarded-proto'] = request.protocol;
  headers['x-forwarded-host'] = request.host;
  headers['accept-encoding'] = 'identity';
  return headers;
}

/** Copies a service's answer headers onto the reply, minus hop-by-hop ones. */
export function copyServiceHeaders(headers: IncomingHttpHeaders, reply: FastifyReply): void {
  const named = namedInConnection(headers.connection);
  for (const name in headers) {
    if (!HOP_BY_HOP.has(name) && !named?.has(name)) reply.header(name, headers[name]);
  }
}

/** Header names listed in a `Connection` header (RFC 9110 §7.6.1), which are hop-by-hop too. */
function namedInConnection(connection: string | string[] | undefined): Set<string> | undefined {
  if (connection === undefined) return undefined;
  const names = String(connection)
    .toLowerCase()
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== 'close' && name !== 'keep-alive' && name !== '');
  return names.length > 0 ? new Set(names) : undefined;
}
