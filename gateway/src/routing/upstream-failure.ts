import { HttpException, HttpStatus } from '@nestjs/common';
import type { UpstreamFailure } from '../observability/gateway.metrics';

interface FailureKind {
  reason: UpstreamFailure;
  status: HttpStatus;
}

const UNAVAILABLE: FailureKind = { reason: 'unavailable', status: HttpStatus.SERVICE_UNAVAILABLE };
const TIMEOUT: FailureKind = { reason: 'timeout', status: HttpStatus.GATEWAY_TIMEOUT };
const BAD_RESPONSE: FailureKind = { reason: 'bad_response', status: HttpStatus.BAD_GATEWAY };

// Nothing reached the service (refused, unresolvable, no connection in time):
// the request can safely be retried later, so it is a 503 with Retry-After.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'FST_REPLY_FROM_SERVICE_UNAVAILABLE',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'FST_REPLY_FROM_TIMEOUT',
]);

const RETRY_AFTER_SECONDS = '5';

/** Sorts a failed upstream call (reply-from wraps undici's error as `cause`) into 503, 504 or 502. */
export function classifyUpstreamFailure(error: unknown): FailureKind {
  for (
    let current = error as { code?: string; cause?: unknown } | undefined;
    current;
    current = current.cause as typeof current
  ) {
    if (current.code && UNAVAILABLE_CODES.has(current.code)) return UNAVAILABLE;
    if (current.code && TIMEOUT_CODES.has(current.code)) return TIMEOUT;
  }
  return BAD_RESPONSE;
}

/** The problem the client gets instead of the service's answer. */
export function upstreamProblem(service: string, kind: FailureKind, cause: unknown): HttpException {
  const message =
    kind.reason === 'unavailable'
      ? `The ${service} service is unavailable; try again shortly.`
      : kind.reason === 'timeout'
        ? `The ${service} service did not answer in time.`
        : `The ${service} service failed to answer properly.`;
  const headers = kind.reason === 'unavailable' ? { 'Retry-After': RETRY_AFTER_SECONDS } : {};
  return new HttpException({ message, headers }, kind.status, { cause });
}
