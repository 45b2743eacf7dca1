import { SetMetadata } from '@nestjs/common';

/** Metadata key read by the guard; exported for code that inspects routes. */
export const IS_PUBLIC_KEY = 'shop:auth:public';

/**
 * Opens a route or controller to anonymous callers: every route needs a token
 * unless it says otherwise (registration, the token endpoint, JWKS).
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
