import { ConflictError, NotFoundError, UnprocessableError } from '@shop/shared';
import { MAX_STOCK_UNITS } from './stock-levels.model';

export const stockNotFound = () =>
  new NotFoundError('INVENTORY.ITEM_NOT_FOUND', 'No stock is kept for that item.');

export const insufficientStock = (available: number, delta: number) =>
  new ConflictError(
    'INVENTORY.INSUFFICIENT_STOCK',
    `Only ${available} available; an adjustment of ${delta} would take stock below zero.`,
  );

export const stockLimitExceeded = () =>
  new UnprocessableError(
    'INVENTORY.STOCK_LIMIT_EXCEEDED',
    `An item may hold at most ${MAX_STOCK_UNITS} units, available and reserved together.`,
  );
