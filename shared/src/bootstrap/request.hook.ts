import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { runWithCorrelationId } from '../events/correlation.store';
import { runBackgroundTasks } from '../http/background-tasks.service';
import { REQUEST_ID_HEADER } from '../http/request-id.decorator';
import { writeAccessLog } from '../logging/access-log.service';
import { runWithRequestId } from '../logging/request-context.store';
import type { HttpMetrics } from '../metrics/http.metrics';

export interface RequestHooksOptions {
  metrics: HttpMetrics;
  /** The root logger, which writes the access lines. */
  logger: Logger;
}

/**
 * What every request of a service goes through around its handler, as three
 * Fastify hooks. They take a callback rather than return a promise, which
 * spares a promise and a microtask per hook and request.
 */
export function registerRequestHooks(fastify: FastifyInstance, options: RequestHooksOptions): void {
  const { metrics, logger } = options;

  // On every answer, a 404 or an error too.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });

  // Guards, pipes, the handler and the exception filter all run inside
  // Fastify's route handler, right after this hook: entering the request's
  // context here gives their log lines its `requestId` and the events they
  // write its correlation id. Not earlier: the body is read in between, in
  // callbacks of the socket that run outside any context entered before.
  fastify.addHook('preHandler', (request, _reply, done) =>
    runWithCorrelationId(request.id, () => runWithRequestId(request.id, done)),
  );

  fastify.addHook('onResponse', (request, reply, done) => {
    writeAccessLog(logger, request, reply);
    recordRequestDuration(metrics, request, reply);
    runBackgroundTasks(request);
    done();
  });
}

/** `http_request_duration_seconds`, labelled with the route template, never the raw URL. */
function recordRequestDuration(metrics: HttpMetrics, request: FastifyRequest, reply: FastifyReply): void {
  metrics.httpDuration.observe(
    {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    },
    reply.elapsedTime / 1000,
  );
}
