/** Injection token of the validated orders service config. */
export const ORDERS_CONFIG = Symbol('ORDERS_CONFIG');
