import { createParamDecorator, ExecutionContext, Logger } from '@nestjs/common';
import { AuthenticatedUser, backgroundTasksOf } from '@shop/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';

const audit = new Logger('Audit');

type AuthenticatedRequest = FastifyRequest<{ Params: { id?: string } }> & { user: AuthenticatedUser };

/**
 * The caller, as `@CurrentUser()` gives it, for a change to a user account —
 * and, like the guide's `get_query_and_log` dependency, it queues a background
 * task: once the response has gone out, one audit line says who did what to
 * which user and how it ended. After the response, because only then is the
 * outcome known (a 404 or a 409 is audited too); in the background, because
 * the client has no reason to wait for it.
 *
 * @example
 * update(@AuditedCaller('user.update') caller: AuthenticatedUser, …)
 */
export const AuditedCaller = createParamDecorator(
  (action: string, context: ExecutionContext): AuthenticatedUser => {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const caller = request.user;
    backgroundTasksOf(request).add(async () =>
      audit.log(
        { audit: action, actor: caller.id, target: request.params.id, status: reply.statusCode },
        `${action}: ${reply.statusCode}`,
      ),
    );
    return caller;
  },
);
