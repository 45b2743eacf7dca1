/** Injection token of the validated items service config. */
export const ITEMS_CONFIG = Symbol('ITEMS_CONFIG');
