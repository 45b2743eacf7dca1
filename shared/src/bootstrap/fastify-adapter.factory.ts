import type { IncomingMessage } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { requestIdFor } from '../http/request-id.decorator';

/** Fastify's own options, but those every process sets the same way. */
export type FastifyAdapterOptions = Omit<
  FastifyServerOptions,
  'bodyLimit' | 'genReqId' | 'requestIdHeader' | 'return503OnClosing'
> & {
  bodyLimitBytes: number;
  /** No Nest middleware to run: leave out middie's pass on every request. */
  skipMiddie?: boolean;
};

/**
 * The Fastify adapter every process starts from: its body limit (a bigger
 * body is a 413 before any parsing), the request id (the client's valid
 * `x-request-id`, or a new UUID) and a 503 for requests that arrive while it
 * closes. Callers add their own options, such as the gateway's `trustProxy`.
 */
export function createFastifyAdapter(options: FastifyAdapterOptions): FastifyAdapter {
  const { bodyLimitBytes, ...fastifyOptions } = options;
  return new FastifyAdapter({
    ...fastifyOptions,
    bodyLimit: bodyLimitBytes,
    genReqId: (raw: IncomingMessage) => requestIdFor(raw),
    requestIdHeader: false,
    return503OnClosing: true,
  });
}
