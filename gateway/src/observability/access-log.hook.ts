import type { onResponseHookHandler } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

// Probes, Prometheus scrapes and Swagger UI's document fetches come every few
// seconds: their lines are written at debug, so that they do not drown the
// API's. They are counted in the metrics all the same.
const POLLED = /^\/(?:health\/|metrics(?:$|\?)|docs\/openapi\/)/;

/**
 * One line per answered request, the same line pino-http writes in every
 * service (`requestId`, `req`, `res`, `responseTime`, "request completed"),
 * written straight to the root logger. pino-http's Nest middleware would also
 * build a child logger and a request context for each request: the largest
 * cost on the proxy path that the gateway can do without, since nothing logs
 * in between.
 */
export const writeAccessLog: onResponseHookHandler = (request, reply, done) => {
  const logger = PinoLogger.root;
  const level = POLLED.test(request.url) ? 'debug' : 'info';
  if (logger.isLevelEnabled(level)) {
    logger[level](
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
