import type { preParsingHookHandler } from 'fastify';
import { bodyTooLarge, lengthRequired } from '../gateway.errors';

/**
 * Proxied bodies are streamed to the service, never parsed here, so Fastify's
 * own body limit does not see them: the declared length is checked instead,
 * before a byte is read. A body without a declared length (chunked) is
 * refused with 411, which every API client can avoid by sending its length.
 */
export function limitBody(maxBytes: number): preParsingHookHandler {
  return function checkBodyLength(request, _reply, payload, done) {
    const declared = request.headers['content-length'];
    if (declared === undefined) {
      if (request.headers['transfer-encoding'] === undefined) return done(null, payload);
      return done(lengthRequired());
    }
    if (Number(declared) > maxBytes) {
      return done(bodyTooLarge(maxBytes));
    }
    done(null, payload);
  };
}
