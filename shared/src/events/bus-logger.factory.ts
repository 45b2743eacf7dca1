import { Logger, LoggerService } from '@nestjs/common';

/**
 * Where the event bus logs: Nest's `Logger` (pino in a service) by default.
 * Messages come as `(fields, text)` so pino keeps `eventId`, `type` and
 * `outcome` as searchable fields.
 */
export type BusLogger = Pick<LoggerService, 'log' | 'warn' | 'error'>;

export const busLogger = (context: string, given?: BusLogger): BusLogger => given ?? new Logger(context);

/** Discards everything; for tests that assert on behaviour, not on logs. */
export const silentBusLogger: BusLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
