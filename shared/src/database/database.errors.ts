import { UnavailableError } from '../errors/domain.errors';

/** How long a client should wait before trying again: a pool reconnects within about that. */
const RETRY_AFTER_SECONDS = 2;

// SQLSTATE class 08 (connection exception), the server going away (57P01 admin
// shutdown, 57P02 crash shutdown, 57P03 cannot connect now) and a cancelled
// query (57014, also what statement_timeout raises).
const LOST_SQLSTATE = /^(08...|57P0[123]|57014)$/;
// What pg and its pool say when there is no SQLSTATE to read: the socket died
// under a query, or no connection came free in time.
const LOST_MESSAGE =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Connection is not established|Driver not Connected/i;
const LOST_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * Whether an error means the database could not be reached or dropped the
 * connection, as opposed to refusing a statement. Only these become a 503: a
 * constraint violation or a syntax error is a bug, and stays a 500 with its
 * stack so that nothing real is hidden.
 */
export function isDatabaseConnectionLost(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 4; depth++) {
    const { code, message, driverError } = cause as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
    };
    if (typeof code === 'string' && (LOST_SQLSTATE.test(code) || LOST_SOCKET.has(code))) return true;
    if (typeof message === 'string' && LOST_MESSAGE.test(message)) return true;
    // TypeORM's QueryFailedError carries pg's error as driverError; others chain a cause.
    cause = driverError ?? (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** The 503 a request answers when its database connection is lost. */
export const databaseUnavailable = (): UnavailableError =>
  new UnavailableError(
    'DATABASE.UNAVAILABLE',
    'The database is unreachable; try again shortly.',
    RETRY_AFTER_SECONDS,
  );
