import { createParamDecorator, ExecutionContext, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

const TASKS = Symbol('backgroundTasks');
type WithTasks = FastifyRequest & { [TASKS]?: BackgroundTasksService };

/**
 * Work that runs after the response has been sent, like FastAPI's
 * BackgroundTasksService: the client does not wait for it. It is best effort — it
 * runs in this process and is lost if the process dies — so anything that
 * must happen belongs in the outbox instead.
 */
export class BackgroundTasksService {
  private readonly tasks: Array<() => Promise<unknown>> = [];
  private readonly logger = new Logger(BackgroundTasksService.name);

  add(task: () => Promise<unknown>): void {
    this.tasks.push(task);
  }

  /** Runs the tasks one after another; a failing task is logged and does not stop the next. */
  async run(): Promise<void> {
    for (const task of this.tasks.splice(0)) {
      try {
        await task();
      } catch (error) {
        this.logger.error({ err: error }, 'Background task failed');
      }
    }
  }
}

/**
 * The request's background tasks, for a dependency (a guard, a pipe, a param
 * decorator) that queues one, as the guide's `get_query_and_log` does.
 */
export function backgroundTasksOf(request: FastifyRequest): BackgroundTasksService {
  return ((request as WithTasks)[TASKS] ??= new BackgroundTasksService());
}

/** Injects the request's `BackgroundTasksService` into a handler: `@Background() tasks: BackgroundTasksService`. */
export const Background = createParamDecorator(
  (_: unknown, context: ExecutionContext): BackgroundTasksService =>
    backgroundTasksOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

/** Starts a request's background tasks, if it has any; called once its response has gone out. */
export function runBackgroundTasks(request: FastifyRequest): void {
  const tasks = (request as WithTasks)[TASKS];
  if (tasks) void tasks.run();
}
