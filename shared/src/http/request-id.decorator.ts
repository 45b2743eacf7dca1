import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** SPEC: a client's request id is kept only if it is short and plain. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * The request id of an incoming request: the client's `x-request-id` when it
 * is well-formed, a new UUID otherwise. Stored on the raw request so Fastify
 * and the pino-http logger agree on one id.
 */
export function requestIdFor(raw: IncomingMessage): string {
  const request = raw as IncomingMessage & { id?: string };
  if (request.id) return request.id;
  const given = request.headers[REQUEST_ID_HEADER];
  request.id = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  return request.id;
}

/** The request's id as a handler parameter: passed on to the calls and events the request causes. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  requestIdFor(context.switchToHttp().getRequest<{ raw: IncomingMessage }>().raw),
);
