import { NotFoundError } from '@shop/shared';

export const imageNotFound = () => new NotFoundError('ITEM.IMAGE_NOT_FOUND', 'This item has no image.');
