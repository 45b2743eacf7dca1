import { Injectable } from '@nestjs/common';
import { AccessTokenVerifierService, InvalidTokenError } from '@shop/shared';
import type { IncomingMessage } from 'node:http';
import { DenyListStore } from '../deny-list/deny-list.store';
import { readCredentials } from './ws-credentials.model';
import { WsTicketStore } from './ws-ticket.store';

/** Who an authenticated socket belongs to, and until when. */
export interface Session {
  userId: string;
  scopes: readonly string[];
  /** Seconds since the epoch. */
  exp: number;
}

/**
 * Checks the credentials of a WebSocket: an access token (verified like any
 * other, deny-list included) or a one-time ticket (redeemed, then checked
 * against its token's expiry and the deny-list).
 */
@Injectable()
export class WsAuthenticatorService {
  constructor(
    private readonly verifier: AccessTokenVerifierService,
    private readonly tickets: WsTicketStore,
    private readonly denyList: DenyListStore,
  ) {}

  /** The session the credentials stand for; null when they are missing or refused. Throws on our outage. */
  async authenticate(request: IncomingMessage, url: URL): Promise<Session | null> {
    const credentials = readCredentials(request, url);
    if (credentials === null) return null;
    if ('token' in credentials) {
      try {
        const claims = await this.verifier.verify(credentials.token);
        return { userId: claims.sub, scopes: claims.scopes, exp: claims.exp };
      } catch (error) {
        if (error instanceof InvalidTokenError) return null;
        throw error;
      }
    }
    const holder = await this.tickets.redeem(credentials.ticket);
    if (holder === null || holder.exp * 1000 <= Date.now() || this.denyList.isRevoked({ ...holder, jti: '' }))
      return null;
    return { userId: holder.sub, scopes: holder.scopes, exp: holder.exp };
  }
}
