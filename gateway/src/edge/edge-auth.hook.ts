import { bearerToken, InvalidTokenError, sendProblem, type AccessTokenClaims } from '@shop/shared';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { methodNotAllowed, scopeMissing, tokenInvalid, tokenMissing } from '../gateway.errors';
import { AUTHENTICATED, PUBLIC, type Access, type MethodPolicy } from '../routing/route-access.model';
import type { EdgeTokenStore } from './edge-token.store';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token of the caller; null on public routes and before the edge check. */
    caller: AccessTokenClaims | null;
  }
}

/**
 * The edge check of one route table entry: the method must be listed, and its
 * access met, before anything else is spent on the request. A token seen
 * before is checked synchronously (EdgeTokenStore); a new one is verified once,
 * and the Authorization header goes on to the service unchanged.
 */
export function edgeAuth(policy: MethodPolicy, tokens: EdgeTokenStore): onRequestHookHandler {
  return function checkAccess(request, reply, done) {
    const access = policy.byMethod.get(request.method);
    if (access === undefined) {
      sendProblem(request, reply, methodNotAllowed(request.method, policy.allow));
      return;
    }
    if (access === PUBLIC) return done();

    const token = bearerToken(request.headers.authorization);
    if (!token) {
      sendProblem(request, reply, tokenMissing());
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
    sendProblem(request, reply, scopeMissing(access));
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
  sendProblem(request, reply, tokenInvalid(error));
}
