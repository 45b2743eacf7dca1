import type { SpanProcessor } from '@opentelemetry/sdk-trace';

/** What `startTracing` started: flush and stop it with `shutdown()`. */
export interface Tracing {
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where the span processors go; tests pass an in-memory exporter. Default: OTLP over HTTP, batched. */
  spanProcessors?: SpanProcessor[];
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

let started: Tracing | undefined;

/**
 * Starts OpenTelemetry tracing for a process when `OTEL_EXPORTER_OTLP_ENDPOINT`
 * is set; otherwise does nothing and loads nothing, so the API stays a no-op.
 *
 * It must run before the modules it instruments (http, undici, pg, ioredis)
 * are loaded: each process imports its `src/tracing.ts` first thing in
 * `main.ts`, and that file imports only `@shop/shared/tracing`.
 *
 * @returns the started SDK, or `undefined` when tracing is off
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): Tracing | undefined {
  const env = options.env ?? process.env;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  if (started) return started;
  // Loaded only now: with tracing off, none of the SDK is ever required.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSdk } = require('./sdk.factory') as typeof import('./sdk.factory');
  started = startSdk(serviceName, options.spanProcessors);
  return started;
}

/** Whether `startTracing` started the SDK in this process. */
export function tracingStarted(): boolean {
  return started !== undefined;
}

/** Stops the SDK started by `startTracing` (tests), flushing what it holds. */
export async function stopTracing(): Promise<void> {
  const sdk = started;
  started = undefined;
  await sdk?.shutdown();
}
