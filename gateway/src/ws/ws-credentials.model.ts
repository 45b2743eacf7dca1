import type { IncomingMessage } from 'node:http';

/** The subprotocol that carries the access token, and that the server answers with. */
export const BEARER_PROTOCOL = 'bearer';

/** What the client presented: a token in the subprotocol header, a ticket in the query, or nothing. */
export type WsCredentials = { token: string } | { ticket: string } | null;

/**
 * `Sec-WebSocket-Protocol: bearer, <token>` or `?ticket=<ticket>`, in that
 * order. A token is never read from the URL: URLs end up in logs.
 */
export function readCredentials(request: IncomingMessage, url: URL): WsCredentials {
  const offered = (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  if (offered.includes(BEARER_PROTOCOL)) {
    const others = offered.filter((value) => value !== BEARER_PROTOCOL);
    return others.length === 1 ? { token: others[0] } : null;
  }
  const ticket = url.searchParams.get('ticket');
  return ticket ? { ticket } : null;
}

/** Picks the subprotocol of the handshake answer: `bearer` when offered (browsers require one of theirs). */
export function chooseProtocol(protocols: Set<string>): string | false {
  return protocols.has(BEARER_PROTOCOL) ? BEARER_PROTOCOL : false;
}
