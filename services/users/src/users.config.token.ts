/** Injection token of the validated users service config. */
export const USERS_CONFIG = Symbol('USERS_CONFIG');
