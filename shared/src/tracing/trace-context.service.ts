import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';

/** W3C trace context (`traceparent`, `tracestate`) as text fields: what crosses the outbox and the broker. */
export type TraceCarrier = Record<string, string>;

const TRACER = '@shop/shared/events';

/** The active trace context as a carrier, or `undefined` when there is none (tracing off, no span). */
export function captureTraceContext(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/**
 * Runs `work` in a span of `kind` whose parent is the trace context in
 * `carrier` (an outbox row's, a message's headers), or the active one when the
 * carrier holds none. `work` gets the span's own context as a carrier, to pass
 * on. With tracing off every step is a no-op and the carrier stays empty.
 */
export async function inSpanFrom<T>(
  name: string,
  kind: SpanKind,
  carrier: Record<string, unknown> | undefined,
  attributes: Attributes,
  work: (outgoing: TraceCarrier) => Promise<T>,
): Promise<T> {
  const parent = carrier ? propagation.extract(context.active(), carrier) : context.active();
  const span = trace.getTracer(TRACER).startSpan(name, { kind, attributes }, parent);
  const active = trace.setSpan(parent, span);
  const outgoing: TraceCarrier = {};
  propagation.inject(active, outgoing);
  try {
    return await context.with(active, () => work(outgoing));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Marks the active span failed by `error`, for work that handles its error rather than throwing it. */
export function failActiveSpan(error: unknown): void {
  const span = trace.getActiveSpan();
  if (span) failSpan(span, error);
}

function failSpan(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
}

/** `trace_id` and `span_id` of the active span, for log lines; empty outside a trace. */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export { SpanKind };

/**
 * The OpenTelemetry messaging attributes of processing one delivered message,
 * so every consumer (the services' inbox consumer, the gateway's push feed)
 * describes its spans the same way.
 */
export function processSpanAttributes(
  fields: { exchange: string; routingKey: string },
  messageId: string,
  consumerGroup?: string,
): Attributes {
  return {
    'messaging.system': 'rabbitmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': fields.exchange,
    'messaging.rabbitmq.destination.routing_key': fields.routingKey,
    ...(consumerGroup ? { 'messaging.consumer.group.name': consumerGroup } : {}),
    'messaging.message.id': messageId,
  };
}
