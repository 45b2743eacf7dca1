import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** How a route's requests are logged: API calls at info, polls (probes, scrapes, documents) at debug. */
export type AccessLogLevel = 'info' | 'debug';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The level of this route's access lines; `info` unless the route says otherwise. */
    accessLog?: AccessLogLevel;
  }
}

/**
 * The one line per answered request (`requestId`, `req`, `res`,
 * `responseTime` in ms, "request completed" or, from 500 on, "request
 * errored"), the line pino-http used to write. The raw request and response
 * are passed as pino-http passed them: the logger's serializers pick their
 * fields.
 */
export function writeAccessLog(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  const level = request.routeOptions.config?.accessLog ?? 'info';
  logger[level](
    {
      requestId: request.id,
      req: request.raw,
      res: reply.raw,
      responseTime: Math.round(reply.elapsedTime),
    },
    reply.statusCode >= 500 ? 'request errored' : 'request completed',
  );
}
