import { applyDecorators } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import { ApiProblems } from '@shop/shared';
import { OrderResponse } from './dto/order.response';

/**
 * Everything placing an order answers (PlaceOrderHandler, ItemsClient, the
 * Idempotency-Key pipe), beyond the 401/403 of its scopes.
 */
export const ApiPlaceOrderResponses = () =>
  applyDecorators(
    ApiCreatedResponse({
      type: OrderResponse,
      description:
        'The order placed, `PENDING`; a replay is the first response again byte for byte, also 201',
      headers: {
        'Idempotent-Replayed': {
          description: 'Present, `true`, only when the response replays an earlier one',
          schema: { type: 'string', enum: ['true'] },
        },
      },
    }),
    ApiProblems(
      [
        400,
        'A field of the body is invalid (`errors` lists each), or `Idempotency-Key` is malformed or repeated.',
      ],
      [
        409,
        'A request with the same `Idempotency-Key` is still in progress (`ORDER.IDEMPOTENCY_KEY_IN_FLIGHT`); ' +
          'retry shortly.',
      ],
      [413, 'The body is larger than the service accepts (`BODY_LIMIT_BYTES`, 1 MiB by default).'],
      [415, 'The body is of a content type the service does not read; send `application/json`.'],
      [
        422,
        'An item does not exist (`ORDER.UNKNOWN_ITEM`), the total is above 9999999999.99 ' +
          '(`ORDER.TOTAL_TOO_LARGE`), or the `Idempotency-Key` was used with another body ' +
          '(`ORDER.IDEMPOTENCY_KEY_REUSED`).',
      ],
      [
        503,
        'Items cannot price the order now: it is away, too slow or failing, or its breaker is open ' +
          "(`ORDER.ITEMS_UNAVAILABLE`, `Retry-After` the breaker's half-open delay, 1 s by default); items " +
          'answered unusably (`ORDER.ITEMS_ERROR`, no `Retry-After`: retrying will not help); or the ' +
          'database is away (`DATABASE.UNAVAILABLE`).',
      ],
    ),
  );
