import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { HealthRegistryService } from '../health/health-registry.service';

const SHUTDOWN_GRACE_MS = 15_000;

/**
 * How a process stops, as a rollout expects. On SIGTERM readiness turns false
 * at once while requests are still served, for `delayMs`, so that load
 * balancers take the process out of rotation; then Nest closes the app
 * (Fastify stops taking connections and finishes the requests in flight,
 * consumers stop, modules close their connections) and the process exits.
 * SIGINT is a person at a terminal: no delay. Exiting, rather than dying of
 * the signal again, runs the 'exit' handlers, where pino writes the log lines
 * still buffered.
 */
export function enableGracefulShutdown(app: INestApplication, { delayMs }: { delayMs: number }): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(HealthRegistryService, { strict: false }).drain();
    if (signal === 'SIGTERM' && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // A keep-alive connection whose request was in flight turns idle only after
    // close() has swept the idle ones; sweep again until the server is closed.
    const server = app.getHttpServer() as Server;
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    try {
      await app.close();
    } finally {
      clearInterval(sweep);
      process.exit(0);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, (received) => void stop(received));
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
