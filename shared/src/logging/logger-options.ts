import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { requestIdFor } from '../http/request-id';
import { traceLogFields } from '../tracing/trace-context';
import { tracingStarted } from '../tracing/tracing';

const QUIET_PATHS = /^\/(health\/|metrics)/;

/**
 * pino JSON logs: one line per request and every line written while handling
 * it carries `requestId`. Credentials are redacted; bodies are never logged.
 * With tracing on, every line written inside a trace also carries `trace_id`
 * and `span_id`.
 */
export function loggerOptions(service: string, level: string, stream?: DestinationStream): Params {
  const options: Options = {
    level,
    base: { service },
    ...(tracingStarted() ? { mixin: traceLogFields } : {}),
    genReqId: (req) => requestIdFor(req),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    autoLogging: {
      ignore: (req) => QUIET_PATHS.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''),
    },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  return {
    // nestjs-pino's default route pattern does not match under Nest 12's Fastify middleware; this one does.
    forRoutes: [{ path: '*splat', method: RequestMethod.ALL }],
    pinoHttp: stream ? [options, stream] : options,
  };
}
