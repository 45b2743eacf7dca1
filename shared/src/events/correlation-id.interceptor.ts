import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runWithCorrelationId } from './correlation.context';

/**
 * Makes the request id (`x-request-id`) the correlation id of every event the
 * request writes to the outbox. Nest calls the route handler when the
 * returned observable is subscribed, so subscribing inside the context is
 * what carries it into the handler's async calls.
 */
@Injectable()
export class CorrelationIdInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const requestId = context.switchToHttp().getRequest<{ id?: string }>()?.id;
    if (!requestId) return next.handle();
    return new Observable((subscriber) =>
      runWithCorrelationId(requestId, () => next.handle().subscribe(subscriber)),
    );
  }
}
