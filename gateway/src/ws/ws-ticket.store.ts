import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type AccessTokenClaims } from '@shop/shared';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

/** SPEC: a ticket lives at most 30 s. */
export const TICKET_TTL_SEC = 30;
const KEY_PREFIX = 'ws-ticket:';
const TICKET = /^[A-Za-z0-9_-]{43}$/;

/** What a redeemed ticket stands for: the token it was issued against. */
export interface TicketHolder {
  sub: string;
  scopes: readonly string[];
  /** The access token's expiry, in seconds since the epoch: the socket closes then. */
  exp: number;
  iat: number;
}

/**
 * One-time WebSocket tickets, for clients that cannot set a subprotocol
 * (the token would otherwise travel in a URL, and end up in logs). A ticket
 * is 32 random bytes kept in Redis for 30 s, so any replica can redeem it,
 * and taken with GETDEL, so it can be redeemed once.
 */
@Injectable()
export class WsTicketStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async issue(claims: AccessTokenClaims): Promise<{ ticket: string; expiresIn: number }> {
    const ticket = randomBytes(32).toString('base64url');
    // Never (or by a second at most) outlive the token it stands for.
    const ttl = Math.max(1, Math.min(TICKET_TTL_SEC, claims.exp - Math.floor(Date.now() / 1000)));
    const holder: TicketHolder = { sub: claims.sub, scopes: claims.scopes, exp: claims.exp, iat: claims.iat };
    await this.redis.set(KEY_PREFIX + ticket, JSON.stringify(holder), 'EX', ttl);
    return { ticket, expiresIn: ttl };
  }

  /** The holder of a valid ticket, which is gone from then on; null for an unknown, used or expired one. */
  async redeem(ticket: string): Promise<TicketHolder | null> {
    if (!TICKET.test(ticket)) return null;
    const value = await this.redis.getdel(KEY_PREFIX + ticket);
    return value === null ? null : (JSON.parse(value) as TicketHolder);
  }
}
