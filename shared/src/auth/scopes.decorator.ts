import { SetMetadata } from '@nestjs/common';

/** Metadata key read by the guard; exported for code that inspects routes. */
export const SCOPES_KEY = 'shop:auth:scopes';

/**
 * The scopes a route needs; the token must hold all of them, else 403.
 * On a handler it replaces (not adds to) scopes set on its controller.
 */
export const Scopes = (...scopes: string[]) => SetMetadata(SCOPES_KEY, scopes);
