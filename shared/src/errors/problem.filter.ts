import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { databaseUnavailable, isDatabaseConnectionLost } from '../database/database.errors';
import { DomainError, UnavailableError } from './domain.errors';
import { httpProblem, Problem, PROBLEM_CONTENT_TYPE } from './problem.model';
import { RequestValidationError } from './validation.errors';

/** Turns any error into an RFC 9457 problem. Never exposes a stack trace or an internal message. */
export function toProblem(exception: unknown): { problem: Problem; headers: Record<string, string> } {
  if (exception instanceof RequestValidationError) {
    return { problem: httpProblem(400, exception.message, { errors: exception.errors }), headers: {} };
  }
  if (exception instanceof DomainError) {
    const problem = httpProblem(exception.status, exception.message, {
      type: `urn:shop:problem:${exception.code}`,
      code: exception.code,
    });
    const retryAfter = exception instanceof UnavailableError ? exception.retryAfterSeconds : undefined;
    const headers =
      retryAfter === undefined
        ? exception.headers
        : { ...exception.headers, 'retry-after': String(retryAfter) };
    return { problem, headers };
  }
  // A coded error keeps its meaning whatever its cause; an uncoded one that
  // means the database is gone is a 503 rather than a 500.
  if (isDatabaseConnectionLost(exception)) return toProblem(databaseUnavailable());
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const detail =
      typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
    const headers = (body as { headers?: Record<string, string> }).headers ?? {};
    return { problem: httpProblem(exception.getStatus(), detail), headers };
  }
  const fastifyError = exception as { statusCode?: number; message?: string };
  if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    // Fastify's own 4xx errors (bad JSON, body too large, unsupported media type) are safe to describe.
    return {
      problem: httpProblem(fastifyError.statusCode, fastifyError.message ?? 'Bad request'),
      headers: {},
    };
  }
  return { problem: httpProblem(500, 'An unexpected error occurred; it has been logged.'), headers: {} };
}

/** What went wrong underneath an error, in one line. */
function causeOf(exception: unknown): string {
  const error = exception as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const below = error.cause ? ` (${String(error.cause.code ?? error.cause.message ?? error.cause)})` : '';
  return `${String(error.message ?? exception)}${below}`;
}

/** Sends a problem on a Fastify reply, with the request id so a client can quote it. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown): FastifyReply {
  const { problem, headers } = toProblem(exception);
  if (problem.status >= 500 && (exception instanceof DomainError || isDatabaseConnectionLost(exception))) {
    // Expected while a dependency is away or failing (a coded 502/503/504):
    // one line with its cause, no stack.
    const cause = causeOf(exception);
    new Logger('ProblemFilter').warn({ requestId: request.id, code: problem.code, cause }, problem.detail);
  } else if (problem.status >= 500) {
    new Logger('ProblemFilter').error({ err: exception, requestId: request.id }, 'Unhandled error');
  }
  return reply
    .status(problem.status)
    .headers(headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem, instance: request.url.split('?')[0], requestId: request.id });
}

/** The single place where exceptions become HTTP responses. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception);
  }
}
