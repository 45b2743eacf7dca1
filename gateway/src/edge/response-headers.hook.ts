import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { REQUEST_ID_HEADER } from '@shop/shared';
import Fastify, { type onRequestHookHandler } from 'fastify';

// Headers of the probe's answer that are Fastify's, not helmet's.
const NOT_SECURITY_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/**
 * The first hook of every request: the answer, whatever it turns out to be,
 * carries the request id and the security headers of `helmetOptions`.
 *
 * Those headers are asked of @fastify/helmet once, at start. Registered as
 * is, it rebuilds helmet's middleware chain (the CSP parsed anew) in two
 * hooks on every request; the headers never change, so this one hook sets
 * the fixed set.
 */
export async function responseHeaders(helmetOptions: FastifyHelmetOptions): Promise<onRequestHookHandler> {
  const security = await securityHeaders(helmetOptions);
  return function stampResponse(request, reply, done) {
    reply.header(REQUEST_ID_HEADER, request.id).headers(security);
    done();
  };
}

async function securityHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, options);
  probe.get('/', (_request, reply) => reply.send(''));
  const { headers } = await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !NOT_SECURITY_HEADERS.has(name))
      .map(([name, value]) => [name, String(value)]),
  );
}
