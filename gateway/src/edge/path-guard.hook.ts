import { sendProblem } from '@shop/shared';
import type { onRequestHookHandler } from 'fastify';
import { ambiguousPath, routeNotFound } from '../gateway.errors';

// Spellings that different servers resolve differently: dot segments (also
// before a `;` parameter), encoded dots, slashes and backslashes (however
// often percent-encoded), raw backslashes and empty segments. None occurs in
// a real path of ours, and refusing them is what makes the checks below, and
// the route table, mean the same thing to the gateway and to every service.
const AMBIGUOUS = /\/\.{1,2}(?:[/;]|$)|%(?:25)*(?:2e|2f|5c)|\\|\/\//i;

// Operational endpoints of the services: never reachable from outside,
// whichever prefix they hide behind.
const HIDDEN = /\/(?:metrics|internal)(?:[/;]|$)/i;

export type PathVerdict = 'ok' | 'ambiguous' | 'hidden';

/** Judges a request target exactly as received, before any normalisation. */
export function judgePath(rawUrl: string): PathVerdict {
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  // Absolute-form (`GET http://host/metrics`) and `*` targets are not ours either.
  if (path.charCodeAt(0) !== 47 /* '/' */ || AMBIGUOUS.test(path)) return 'ambiguous';
  return HIDDEN.test(path) ? 'hidden' : 'ok';
}

/**
 * Runs first, on every request: refuses ambiguous paths with 400, and hidden
 * ones and those no route serves with the same 404, so probing learns nothing.
 */
export const guardPath: onRequestHookHandler = (request, reply, done) => {
  const url = request.raw.url ?? '';
  const verdict = judgePath(url);
  if (verdict === 'ok' && !request.is404) return done();
  sendProblem(request, reply, verdict === 'ambiguous' ? ambiguousPath() : routeNotFound(request.method, url));
};
