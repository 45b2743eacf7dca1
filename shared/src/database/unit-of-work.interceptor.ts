import { CallHandler, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { from, lastValueFrom, Observable } from 'rxjs';
import { UnitOfWorkService } from './unit-of-work.service';

/**
 * Runs a handler — its pipes too — inside a unit of work: what it writes
 * commits before the response is sent, or rolls back if it throws, and the
 * exception filter then answers the error as usual.
 */
@Injectable()
export class UnitOfWorkInterceptor implements NestInterceptor {
  constructor(private readonly unitOfWork: UnitOfWorkService) {}

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return from(this.unitOfWork.run(() => lastValueFrom(next.handle())));
  }
}

/** Marks a route whose writes are one transaction: `@Post() @UnitOfWork() place(...)`. */
export const UnitOfWork = (): MethodDecorator & ClassDecorator => UseInterceptors(UnitOfWorkInterceptor);
