import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

// Probes and scrapes would be most of the traces and tell nothing.
const QUIET_PATHS = /^\/(health\/|metrics)/;

/**
 * The NodeSDK with traces only: OTLP over HTTP (the endpoint comes from
 * `OTEL_EXPORTER_OTLP_ENDPOINT`), W3C trace context, and spans for HTTP in and
 * out, undici (the gateway's proxy), Postgres and Redis. HttpMetrics stay with
 * Prometheus and logs with pino, so neither is set up here. Database and
 * Redis calls outside a trace (the outbox relay's polls, the listener) make no
 * spans of their own.
 */
export function startSdk(serviceName: string, spanProcessors?: SpanProcessor[]): NodeSDK {
  const sdk = new NodeSDK({
    serviceName,
    textMapPropagator: new W3CTraceContextPropagator(),
    ...(spanProcessors ? { spanProcessors } : { traceExporter: new OTLPTraceExporter() }),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => QUIET_PATHS.test(req.url ?? '') }),
      new UndiciInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return sdk;
}
