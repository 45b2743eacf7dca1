import { ConflictError, NotFoundError, UnavailableError, UnprocessableError } from '@shop/shared';

/** Every domain error of the orders service, with its stable code. */

export const orderNotFound = () => new NotFoundError('ORDER.NOT_FOUND', 'No such order.');

export const invalidTransition = (from: string, to: string) =>
  new ConflictError('ORDER.INVALID_TRANSITION', `An order that is ${from} cannot become ${to}.`);

export const unknownItem = (itemId: string) =>
  new UnprocessableError('ORDER.UNKNOWN_ITEM', `Item ${itemId} does not exist.`);

export const totalTooLarge = () =>
  new UnprocessableError(
    'ORDER.TOTAL_TOO_LARGE',
    'The order total exceeds the largest amount an order may have.',
  );

export const idempotencyKeyReused = () =>
  new UnprocessableError(
    'ORDER.IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request body.',
  );

export const idempotencyKeyInFlight = () =>
  new ConflictError(
    'ORDER.IDEMPOTENCY_KEY_IN_FLIGHT',
    'A request with this Idempotency-Key is still being processed; retry shortly.',
  );

/**
 * The items service cannot price the order right now (down, slow, failing or
 * the breaker is open). Carries how long a client should wait before retrying.
 */
export class ItemsUnavailableError extends UnavailableError {
  constructor(message: string, retryAfterSeconds: number) {
    super('ORDER.ITEMS_UNAVAILABLE', message, retryAfterSeconds);
  }
}

/**
 * The items service answered, but not in a way we can use: it refused the
 * caller's token although we accepted it (401/403: the services disagree about
 * keys or scopes), or sent something that is not an item. Our fault, not the
 * client's, so a 503 rather than a 4xx; retrying will not help until fixed.
 */
export const itemsAnsweredBadly = () =>
  new UnavailableError('ORDER.ITEMS_ERROR', 'The items service could not price the order.');
