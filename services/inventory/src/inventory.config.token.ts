/** Injection token of the validated inventory service config. */
export const INVENTORY_CONFIG = Symbol('INVENTORY_CONFIG');
