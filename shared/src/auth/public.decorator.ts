import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from '../openapi/service-document.factory';

/** Metadata key read by the guard; exported for code that inspects routes. */
export const IS_PUBLIC_KEY = 'shop:auth:public';

/**
 * Opens a route or controller to anonymous callers: every route needs a token
 * unless it says otherwise (registration, the token endpoint, JWKS). The
 * OpenAPI document gives such an operation an empty security requirement.
 */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_EXTENSION, true));
