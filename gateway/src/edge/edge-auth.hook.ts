import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { AccessTokenVerifier, InvalidTokenError, sendProblem, type AccessTokenClaims } from '@shop/shared';
import type { onRequestAsyncHookHandler } from 'fastify';
import { AUTHENTICATED, PUBLIC, type MethodPolicy } from '../routing/route-access';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token of the caller; null on public routes and before the edge check. */
    caller: AccessTokenClaims | null;
  }
}

// RFC 6750 §2.1, as the services' guard reads it: case-insensitive scheme, b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The edge check of one route table entry: the method must be listed, and its
 * access met, before anything else is spent on the request. A valid token is
 * verified once per process (the verifier caches it until it expires), and
 * the Authorization header goes on to the service unchanged.
 */
export function edgeAuth(policy: MethodPolicy, verifier: AccessTokenVerifier): onRequestAsyncHookHandler {
  return async function checkAccess(request, reply) {
    const access = policy.byMethod.get(request.method);
    if (access === undefined)
      return sendProblem(request, reply, methodNotAllowed(request.method, policy.allow));
    if (access === PUBLIC) return;

    const header = request.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (!token) return sendProblem(request, reply, challenge('A bearer access token is required.', 'Bearer'));

    let claims: AccessTokenClaims;
    try {
      claims = await verifier.verify(token);
    } catch (error) {
      // Anything but a bad token (the signing keys unavailable) is a 503, not the client's fault.
      if (!(error instanceof InvalidTokenError)) return sendProblem(request, reply, error);
      const description = `Bearer error="invalid_token", error_description="${error.reason}"`;
      return sendProblem(request, reply, challenge(error.message, description));
    }

    if (access !== AUTHENTICATED && !claims.scopes.includes(access)) {
      return sendProblem(
        request,
        reply,
        new ForbiddenException({
          message: `This needs the scope ${access}.`,
          headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${access}"` },
        }),
      );
    }
    request.caller = claims;
  };
}

function challenge(message: string, wwwAuthenticate: string): UnauthorizedException {
  return new UnauthorizedException({ message, headers: { 'WWW-Authenticate': wwwAuthenticate } });
}

function methodNotAllowed(method: string, allow: string): HttpException {
  return new HttpException(
    { message: `${method} is not allowed here.`, headers: { Allow: allow } },
    HttpStatus.METHOD_NOT_ALLOWED,
  );
}
