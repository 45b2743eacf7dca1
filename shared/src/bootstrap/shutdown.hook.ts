import type { INestApplication } from '@nestjs/common';

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * On SIGTERM or SIGINT, Nest closes the app (Fastify stops taking requests
 * and finishes the ones in flight, modules close their connections), then
 * exits. Exiting, rather than dying of the signal again, runs the 'exit'
 * handlers, where pino writes the log lines still buffered.
 */
export function enableGracefulShutdown(app: INestApplication): void {
  app.enableShutdownHooks([], { useProcessExit: true });
}

/**
 * Bounds how long that shutdown may take: a connection that never closes
 * would otherwise keep a stopped process alive. For a listening process only;
 * an app built in a test is closed by the test.
 */
export function exitIfShutdownHangs(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref());
  }
}
