import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OAuthError } from './oauth.errors';

/** Answers OAuthErrors with RFC 6749 §5.2 bodies; every other error still reaches the problem filter. */
@Catch(OAuthError)
export class OAuthErrorFilter implements ExceptionFilter {
  catch(exception: OAuthError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(400)
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({ error: exception.error, error_description: exception.description });
  }
}
