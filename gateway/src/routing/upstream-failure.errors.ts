import type { DomainError } from '@shop/shared';
import { upstreamBadResponse, upstreamTimeout, upstreamUnavailable } from '../gateway.errors';
import type { UpstreamFailure } from '../observability/gateway.metrics';

// Nothing reached the service (refused, unresolvable, no connection in time):
// the request can safely be retried later, so it is a 503 with Retry-After.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const PROBLEMS: Record<UpstreamFailure, (service: string) => DomainError> = {
  unavailable: upstreamUnavailable,
  timeout: upstreamTimeout,
  bad_response: upstreamBadResponse,
};

/** Sorts a failed upstream call into unavailable (503), timeout (504) or a bad response (502). */
export function classifyUpstreamFailure(error: unknown): UpstreamFailure {
  // undici's error, or one that wraps it as its `cause`.
  for (
    let current = error as { code?: string; cause?: unknown } | undefined;
    current;
    current = current.cause as typeof current
  ) {
    if (current.code && UNAVAILABLE_CODES.has(current.code)) return 'unavailable';
    if (current.code && TIMEOUT_CODES.has(current.code)) return 'timeout';
  }
  return 'bad_response';
}

/** The problem the client gets instead of the service's answer, with what went wrong as its cause. */
export function upstreamProblem(service: string, failure: UpstreamFailure, cause: unknown): DomainError {
  const problem = PROBLEMS[failure](service);
  problem.cause = cause;
  return problem;
}
