import { ConflictError, ForbiddenError, NotFoundError } from '@shop/shared';

export const userAlreadyExists = () =>
  new ConflictError('USER.ALREADY_EXISTS', 'A user with that username or email already exists.');

export const userNotFound = () => new NotFoundError('USER.NOT_FOUND', 'No such user.');

export const onlyAdminsMaySet = (fields: string[]) =>
  new ForbiddenError('USER.FIELD_ADMIN_ONLY', `Only users:write may set ${fields.join(' and ')}.`);
