import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The request's id (the client's `x-request-id` or a generated one), passed on to items and events. */
export const RequestId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<{ id: string }>().id,
);
