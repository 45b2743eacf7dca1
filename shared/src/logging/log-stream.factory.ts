import { destination, type DestinationStream } from 'pino';

/**
 * Standard output, written asynchronously: a request hands its lines over
 * without waiting for the kernel, and lines written while a write is under
 * way go out together in the next one. pino writes what is left
 * synchronously when the process exits, which is why a service's shutdown
 * ends in `process.exit` (see service-app.factory.ts).
 */
export function stdoutLogStream(): DestinationStream {
  return destination({ dest: 1, sync: false });
}
