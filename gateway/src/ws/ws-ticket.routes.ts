import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { edgeAuth } from '../edge/edge-auth.hook';
import type { EdgeTokenStore } from '../edge/edge-token.store';
import { AUTHENTICATED, methodPolicy } from '../routing/route-access.model';
import type { WsTicketStore } from './ws-ticket.store';

export const WS_TICKETS_PATH = '/ws/tickets';

export interface WsTicketDeps {
  tokens: EdgeTokenStore;
  tickets: WsTicketStore;
  limitRequests: onRequestHookHandler;
}

/**
 * `POST /ws/tickets` (any valid access token) → `{ticket, expiresIn}`: the
 * gateway's own route, checked at the edge like a proxied one.
 */
export async function registerWsTicketRoutes(fastify: FastifyInstance, deps: WsTicketDeps): Promise<void> {
  await fastify.register(async (scope) => {
    // Checked like a route table entry, so a GET gets the same 405 as elsewhere.
    const policy = methodPolicy({ POST: AUTHENTICATED });
    scope.addHook('onRequest', edgeAuth(policy, deps.tokens));
    scope.addHook('onRequest', deps.limitRequests);
    scope.route({
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: WS_TICKETS_PATH,
      handler: async (request, reply) => {
        const issued = await deps.tickets.issue(request.caller!);
        return reply.code(201).header('cache-control', 'no-store').send(issued);
      },
    });
  });
}
