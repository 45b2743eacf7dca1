import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenVerifierService } from './access-token-verifier.service';
import { InvalidTokenError } from './auth.errors';
import type { AuthenticatedUser } from './authenticated-user.model';
import {
  bearerToken,
  insufficientScopeChallenge,
  invalidTokenChallenge,
  missingTokenChallenge,
} from './bearer.errors';
import { IS_PUBLIC_KEY } from './public.decorator';
import { SCOPES_KEY } from './scopes.decorator';

interface RequestWithUser {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthenticatedUser;
}

/** What a route asks of its caller, as its decorators (and its controller's) say. */
interface RouteAccess {
  isPublic: boolean;
  scopes: readonly string[];
}

/**
 * The global guard (registered by `AuthModule`): every HTTP route needs a
 * valid bearer access token unless marked `@Public()`, and all the scopes its
 * `@Scopes()` lists. Attaches the caller to `request.user`.
 * Its 401s and 403s are the RFC 6750 challenges of `./bearer`.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  /** Each route's access, read from its metadata on its first request: decorators never change. */
  private readonly accessByRoute = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifierService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // WebSocket handshakes and event consumers authenticate their own way.
    if (context.getType() !== 'http') return true;
    const access = this.accessOf(context);
    if (access.isPublic) return true;

    const request = context.switchToHttp().getRequest<RequestWithUser>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw missingTokenChallenge();
    const user = await this.authenticate(token);
    request.user = user;

    const required = access.scopes;
    if (!required.every((scope) => user.scopes.includes(scope))) throw insufficientScopeChallenge(required);
    return true;
  }

  /** Keyed by controller, then handler: an inherited handler may serve controllers with other decorators. */
  private accessOf(context: ExecutionContext): RouteAccess {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.accessByRoute.get(controller);
    if (!byHandler) this.accessByRoute.set(controller, (byHandler = new WeakMap()));
    let access = byHandler.get(handler);
    if (!access) {
      const targets = [handler, controller];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) ?? false,
        scopes: this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_KEY, targets) ?? [],
      };
      byHandler.set(handler, access);
    }
    return access;
  }

  private async authenticate(token: string): Promise<AuthenticatedUser> {
    try {
      const claims = await this.verifier.verify(token);
      return { id: claims.sub, scopes: claims.scopes, token };
    } catch (error) {
      // Anything else (keys unavailable) is not the client's fault: let it through as a 5xx.
      if (!(error instanceof InvalidTokenError)) throw error;
      throw invalidTokenChallenge(error);
    }
  }
}
