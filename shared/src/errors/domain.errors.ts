/**
 * A rule of the domain refused the request. Subclasses carry a stable code
 * (`ORDER.OUT_OF_STOCK`) and the HTTP status it maps to; the one problem filter
 * turns them into problem+json, so services never build HTTP errors themselves.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: DomainErrorStatus;

  /**
   * @param headers what the answer carries besides the problem: a 401's
   *   `WWW-Authenticate` challenge, a 405's `Allow`, a 429's `Retry-After`
   */
  constructor(
    message: string,
    readonly headers: ErrorHeaders = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The HTTP statuses a domain error maps to. */
export type DomainErrorStatus =
  400 | 401 | 403 | 404 | 405 | 409 | 411 | 413 | 415 | 422 | 429 | 502 | 503 | 504;

/** Response headers of a domain error, by name. */
export type ErrorHeaders = Readonly<Record<string, string>>;

/** A DomainError class of one status, built from a code, a message and any headers the answer needs. */
function withStatus<S extends DomainErrorStatus>(status: S) {
  return class extends DomainError {
    readonly status: S = status;
    constructor(
      readonly code: string,
      message: string,
      headers?: ErrorHeaders,
    ) {
      super(message, headers);
    }
  };
}

/** The request is malformed in a way no handler should see (an ambiguous path). */
export class BadRequestError extends withStatus(400) {}
/** No valid credentials; `headers` holds the `WWW-Authenticate` challenge. */
export class UnauthorizedError extends withStatus(401) {}
/** The path exists but not for this method; `headers` holds `Allow`. */
export class MethodNotAllowedError extends withStatus(405) {}
/** The request body must declare its length. */
export class LengthRequiredError extends withStatus(411) {}
/** The request body is larger than accepted. */
export class PayloadTooLargeError extends withStatus(413) {}
/** The request body is of a media type not accepted here. */
export class UnsupportedMediaTypeError extends withStatus(415) {}
/** A rate limit is exhausted; `headers` holds `Retry-After`. */
export class TooManyRequestsError extends withStatus(429) {}
/** A service behind this one answered badly. */
export class BadGatewayError extends withStatus(502) {}
/** A service behind this one did not answer in time. */
export class GatewayTimeoutError extends withStatus(504) {}

/** The caller is known but may not do this (a missing scope, a field only admins may set). */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(
    readonly code: string,
    message: string,
    headers?: ErrorHeaders,
  ) {
    super(message, headers);
  }
}

/** The thing asked for does not exist, or is not the caller's to see. */
export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request conflicts with the current state (a duplicate, a refused transition). */
export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request is well-formed but the domain cannot carry it out. */
export class UnprocessableError extends DomainError {
  readonly status = 422;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A dependency the request needs is unavailable; the client may retry later (`Retry-After`). */
export class UnavailableError extends DomainError {
  readonly status = 503;
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
