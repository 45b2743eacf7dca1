/**
 * A rule of the domain refused the request. Subclasses carry a stable code
 * (`ORDER.OUT_OF_STOCK`) and the HTTP status it maps to; the one problem filter
 * turns them into problem+json, so services never build HTTP errors themselves.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: 403 | 404 | 409 | 422 | 503;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller is known but may not do this (a missing scope, a field only admins may set). */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
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
