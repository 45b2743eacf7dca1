import type { onResponseHookHandler } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

// Probes are polled every few seconds; a line each would drown the log.
const QUIET_PATHS = /^\/health\//;

/**
 * One line per answered request, the same line pino-http writes in every
 * service (`requestId`, `req`, `res`, `responseTime`, "request completed"),
 * written straight to the root logger. pino-http's Nest middleware would also
 * build a child logger and a request context for each request: the largest
 * cost on the proxy path that the gateway can do without, since nothing logs
 * in between.
 */
export const writeAccessLog: onResponseHookHandler = (request, reply, done) => {
  if (!QUIET_PATHS.test(request.url)) {
    PinoLogger.root.info(
      {
        requestId: request.id,
        // The raw objects, as pino-http passes them: the logger's serializers pick their fields.
        req: request.raw,
        res: reply.raw,
        responseTime: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  }
  done();
};
