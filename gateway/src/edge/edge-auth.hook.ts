import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { InvalidTokenError, sendProblem, type AccessTokenClaims } from '@shop/shared';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { AUTHENTICATED, PUBLIC, type Access, type MethodPolicy } from '../routing/route-access';
import type { EdgeTokens } from './edge-tokens';

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
 * access met, before anything else is spent on the request. A token seen
 * before is checked synchronously (EdgeTokens); a new one is verified once,
 * and the Authorization header goes on to the service unchanged.
 */
export function edgeAuth(policy: MethodPolicy, tokens: EdgeTokens): onRequestHookHandler {
  return function checkAccess(request, reply, done) {
    const access = policy.byMethod.get(request.method);
    if (access === undefined) {
      sendProblem(request, reply, methodNotAllowed(request.method, policy.allow));
      return;
    }
    if (access === PUBLIC) return done();

    const header = request.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (!token) {
      sendProblem(request, reply, challenge('A bearer access token is required.', 'Bearer'));
      return;
    }
    const known = tokens.known(token);
    if (known !== undefined) return admit(request, reply, done, access, known);
    tokens.verify(token).then(
      (claims) => admit(request, reply, done, access, claims),
      (error: unknown) => refuseToken(request, reply, error),
    );
  };
}

function admit(
  request: FastifyRequest,
  reply: FastifyReply,
  done: () => void,
  access: Access,
  claims: AccessTokenClaims,
): void {
  if (access !== AUTHENTICATED && !claims.scopes.includes(access)) {
    sendProblem(
      request,
      reply,
      new ForbiddenException({
        message: `This needs the scope ${access}.`,
        headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${access}"` },
      }),
    );
    return;
  }
  request.caller = claims;
  done();
}

function refuseToken(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  // Anything but a bad token (the signing keys unavailable) is a 503, not the client's fault.
  if (!(error instanceof InvalidTokenError)) {
    sendProblem(request, reply, error);
    return;
  }
  const description = `Bearer error="invalid_token", error_description="${error.reason}"`;
  sendProblem(request, reply, challenge(error.message, description));
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
