import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { traceLogFields } from '../tracing/trace-context.service';
import { tracingStarted } from '../tracing/tracing.service';
import { requestLogFields } from './request-context.store';

/** The parts of Node's request and response a log line shows, never a header or a body. */
interface LoggedRequest {
  id: string;
  method: string;
  url: string;
}
interface LoggedResponse {
  statusCode: number;
}

/**
 * pino JSON logs. Every line written while handling a request carries its
 * `requestId` (see request-context.store.ts); with tracing on, every line written
 * inside a trace also carries `trace_id` and `span_id`.
 *
 * pino-http only builds the logger here (`forRoutes: []` mounts no Nest
 * middleware, which gave every request a child logger and an async context of
 * its own). The access line is written by a Fastify hook (access-log.service.ts) with
 * the raw request and response, which the serializers reduce to a few fields:
 * no header (authorization, cookie) and no body ever reaches a line, so there
 * is nothing left to redact.
 */
export function loggerOptions(service: string, level: string, stream?: DestinationStream): Params {
  const options: Options = {
    level,
    base: { service },
    mixin: tracingStarted() ? () => ({ ...requestLogFields(), ...traceLogFields() }) : requestLogFields,
    // pino-http's wrappers would first copy every header of each request and
    // response into a new object; these serializers read the few fields they show.
    wrapSerializers: false,
    serializers: {
      req: (req: LoggedRequest) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: LoggedResponse) => ({ statusCode: res.statusCode }),
    },
  };
  return {
    forRoutes: [],
    pinoHttp: stream ? [options, stream] : options,
  };
}
