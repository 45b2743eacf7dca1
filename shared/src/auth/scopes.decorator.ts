import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { SCOPES_EXTENSION } from '../openapi/service-document.factory';

/** Metadata key read by the guard; exported for code that inspects routes. */
export const SCOPES_KEY = 'shop:auth:scopes';

/**
 * The scopes a route needs; the token must hold all of them, else 403.
 * On a handler it replaces (not adds to) scopes set on its controller. The
 * OpenAPI document states the same scopes as the operation's OAuth2 requirement.
 */
export const Scopes = (...scopes: string[]) =>
  applyDecorators(SetMetadata(SCOPES_KEY, scopes), ApiExtension(SCOPES_EXTENSION, scopes));
