import { REQUEST_ID_HEADER, sendProblem } from '@shop/shared';
import type { FastifyReplyFromHooks } from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { GatewayMetrics } from '../observability/gateway.metrics';
import type { UpstreamName } from './route-access';
import { classifyUpstreamFailure, upstreamProblem } from './upstream-failure';

/** Bodies shorter than this are not worth compressing (the @fastify/compress threshold too). */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  stream: Readable & { arrayBuffer(): Promise<ArrayBuffer>; dump(): Promise<void> };
}

export interface ForwardDeps {
  metrics: GatewayMetrics;
  /** Whether the X-Forwarded-For received (from a trusted load balancer) is kept and extended. */
  trustProxy: boolean;
}

/** How requests to one service are forwarded and its answers (or failures) returned. */
export function forwardOptions(upstream: UpstreamName, deps: ForwardDeps): FastifyReplyFromHooks {
  const { metrics, trustProxy } = deps;

  // reply-from types its hooks for any server (HTTP/2 included); this one is HTTP/1.
  const onError = (anyReply: unknown, { error }: { error: Error }): void => {
    const reply = anyReply as FastifyReply;
    const kind = classifyUpstreamFailure(error);
    metrics.upstreamErrors.inc({ upstream, reason: kind.reason });
    sendProblem(reply.request, reply, upstreamProblem(upstream, kind, error));
  };

  return {
    // reply-from hands over its own copy of the client's headers, so they are edited in place.
    rewriteRequestHeaders: (request, headers) => {
      const forwarded = headers as IncomingHttpHeaders;
      const client = request.socket.remoteAddress ?? '';
      const chain = trustProxy ? forwarded['x-forwarded-for'] : undefined;
      forwarded[REQUEST_ID_HEADER] = request.id;
      forwarded['x-forwarded-for'] = chain ? `${chain}, ${client}` : client;
      forwarded['x-forwarded-proto'] = request.protocol;
      forwarded['x-forwarded-host'] = request.host;
      // The gateway compresses for the client; a service compressing too would only spend CPU twice.
      forwarded['accept-encoding'] = 'identity';
      return forwarded;
    },
    rewriteHeaders: (headers) => {
      // Hop-by-hop: they describe the gateway's connection to the service, not the client's.
      delete headers.connection;
      delete headers['keep-alive'];
      return headers;
    },
    onResponse: (request, reply, response) => {
      sendUpstreamBody(
        request as FastifyRequest,
        reply as FastifyReply,
        response as unknown as UpstreamResponse,
      ).catch((error: Error) => onError(reply, { error }));
    },
    onError,
    // One retry, for idempotent methods only, when a kept-alive socket was
    // closed under the request; it also turns off reply-from's retries of 503s.
    retriesCount: 1,
  };
}

/**
 * @fastify/compress compresses any stream, whatever its size: its threshold
 * applies to buffers only. A short answer of known length is therefore read
 * into a buffer first, so the threshold applies to proxied answers too; one
 * write of a small buffer is cheaper than piping a stream anyway.
 */
async function sendUpstreamBody(
  request: FastifyRequest,
  reply: FastifyReply,
  response: UpstreamResponse,
): Promise<void> {
  const { statusCode, stream } = response;
  if (request.method === 'HEAD' || statusCode === 204 || statusCode === 304) {
    await stream.dump();
    reply.send();
    return;
  }
  const length = Number(response.headers['content-length']);
  if (length < COMPRESSION_THRESHOLD_BYTES) {
    reply.send(Buffer.from(await stream.arrayBuffer()));
    return;
  }
  reply.send(stream);
}
