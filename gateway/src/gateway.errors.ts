import {
  BadGatewayError,
  BadRequestError,
  type DomainError,
  GatewayTimeoutError,
  insufficientScopeChallenge,
  invalidTokenChallenge,
  missingTokenChallenge,
  LengthRequiredError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnavailableError,
  UnsupportedMediaTypeError,
  type InvalidTokenError,
} from '@shop/shared';

/**
 * Every refusal of the gateway, with its stable code. Each becomes
 * problem+json in one place (`sendProblem`, @shop/shared's problem filter),
 * with the headers it carries here. gateway/README.md lists them.
 */

// A client may retry a dependency that is away after this long.
const RETRY_AFTER_SECONDS = 5;

export const ambiguousPath = () =>
  new BadRequestError(
    'GATEWAY.PATH_AMBIGUOUS',
    'The request path contains dot segments, encoded separators or empty segments.',
  );

/** An unknown path and a hidden one (`/metrics`) answer alike, so probing learns nothing. */
export const routeNotFound = (method: string, url: string) =>
  new NotFoundError('GATEWAY.NOT_FOUND', `Cannot ${method} ${url}`);

export const docsFileNotFound = (file: string) =>
  new NotFoundError('GATEWAY.NOT_FOUND', `No such file: ${file}`);

export const methodNotAllowed = (method: string, allow: string) =>
  new MethodNotAllowedError('GATEWAY.METHOD_NOT_ALLOWED', `${method} is not allowed here.`, { Allow: allow });

// The RFC 6750 refusals, written once in @shop/shared (the services' guard answers alike).
export const tokenMissing = (): DomainError => missingTokenChallenge('GATEWAY.TOKEN_MISSING');

/** A token that is malformed, expired, revoked or not ours, with the verifier's reason. */
export const tokenInvalid = (error: InvalidTokenError): DomainError =>
  invalidTokenChallenge(error, 'GATEWAY.TOKEN_INVALID');

export const scopeMissing = (scope: string): DomainError =>
  insufficientScopeChallenge([scope], 'GATEWAY.SCOPE_MISSING');

export const lengthRequired = () =>
  new LengthRequiredError('GATEWAY.LENGTH_REQUIRED', 'Send the request body with a Content-Length.');

export const bodyTooLarge = (maxBytes: number) =>
  new PayloadTooLargeError('GATEWAY.BODY_TOO_LARGE', `The request body exceeds ${maxBytes} bytes.`);

export const loginFormRequired = () =>
  new UnsupportedMediaTypeError(
    'GATEWAY.LOGIN_FORM_REQUIRED',
    'The token endpoint takes application/x-www-form-urlencoded bodies only.',
  );

const retryIn = (seconds: number) => ({ 'Retry-After': String(Math.max(1, seconds)) });

export const rateLimited = (retryAfterSeconds: number) =>
  new TooManyRequestsError(
    'GATEWAY.RATE_LIMITED',
    'Too many requests; slow down.',
    retryIn(retryAfterSeconds),
  );

export const loginRateLimited = (retryAfterSeconds: number) =>
  new TooManyRequestsError(
    'GATEWAY.LOGIN_RATE_LIMITED',
    'Too many login attempts; wait a minute.',
    retryIn(retryAfterSeconds),
  );

/** Without Redis the login limit cannot count, and logins wait (the limit fails closed). */
export const loginLimitUnavailable = () =>
  new UnavailableError(
    'GATEWAY.LOGIN_LIMIT_UNAVAILABLE',
    'Logins are briefly unavailable; try again shortly.',
    RETRY_AFTER_SECONDS,
  );

/** Nothing reached the service (refused, unresolvable, no connection in time): safe to retry later. */
export const upstreamUnavailable = (service: string) =>
  new UnavailableError(
    'GATEWAY.UPSTREAM_UNAVAILABLE',
    `The ${service} service is unavailable; try again shortly.`,
    RETRY_AFTER_SECONDS,
  );

export const upstreamTimeout = (service: string) =>
  new GatewayTimeoutError('GATEWAY.UPSTREAM_TIMEOUT', `The ${service} service did not answer in time.`);

export const upstreamBadResponse = (service: string) =>
  new BadGatewayError('GATEWAY.UPSTREAM_BAD_RESPONSE', `The ${service} service failed to answer properly.`);

export const docsUnavailable = (service: string) =>
  new UnavailableError(
    'GATEWAY.DOCS_UNAVAILABLE',
    `The ${service} service's API description is unavailable.`,
    RETRY_AFTER_SECONDS,
  );
