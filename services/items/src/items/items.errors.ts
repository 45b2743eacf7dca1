import { NotFoundError } from '@shop/shared';

export const itemNotFound = () => new NotFoundError('ITEM.NOT_FOUND', 'No such item.');
