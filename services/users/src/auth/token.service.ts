import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { DataSource, EntityManager } from 'typeorm';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { USERS_CONFIG, type UsersConfig } from '../users.config';
import { OAuthError } from './oauth.errors';
import { PasswordHasherService } from './password-hasher.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SIGNING_ALG, SigningKeysService } from './signing-keys.service';
import type { TokenResponse } from './dto/token.response';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const parseScope = (scope: string | undefined) => [...new Set((scope ?? '').split(' ').filter(Boolean))];

@Injectable()
export class TokenService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly passwords: PasswordHasherService,
    private readonly keys: SigningKeysService,
    @Inject(USERS_CONFIG) private readonly config: UsersConfig,
  ) {}

  /** `grant_type=password`: granted scopes are the requested ones the user holds. */
  async passwordGrant(username: string, password: string, requestedScope?: string): Promise<TokenResponse> {
    const user = await this.users.findByUsername(username);
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid || user.disabled) throw OAuthError.invalidGrant();
    const scopes = this.grantable(parseScope(requestedScope), user.scopes);
    return this.issue(this.db.manager, user, scopes, randomUUID());
  }

  /**
   * `grant_type=refresh_token` with rotation: each refresh token works once.
   * Presenting a spent one means it leaked, so its whole family is revoked
   * (RFC 9700 §4.14.2), the newest token of the family included. The loser of
   * two concurrent refreshes presented a spent token too: one request gets new
   * tokens, the other `invalid_grant`, and the family — the winner's new
   * refresh token with it — is revoked, so the holder must log in again.
   */
  async refreshGrant(refreshToken: string, requestedScope?: string): Promise<TokenResponse> {
    const stored = await this.refreshTokens.findByHash(hashToken(refreshToken));
    if (!stored || stored.expiresAt.getTime() <= Date.now()) throw OAuthError.invalidGrant();
    if (stored.usedAt || stored.revokedAt) return this.refuseReuse(stored.familyId);
    const user = await this.users.findById(stored.userId);
    if (!user || user.disabled) throw OAuthError.invalidGrant();
    // RFC 6749 §6: a refresh may narrow the scope, never widen it; the user may also have lost scopes since.
    const original = parseScope(stored.scope).filter((scope) => user.scopes.includes(scope));
    const scopes = this.grantable(parseScope(requestedScope), original);
    const rotated = await this.db.transaction(async (tx) => {
      // Spent by a concurrent refresh (which has committed by now: it held the row): reuse.
      if (!(await this.refreshTokens.markUsed(tx, stored.id))) return null;
      return this.issue(tx, user, scopes, stored.familyId);
    });
    return rotated ?? this.refuseReuse(stored.familyId);
  }

  /** RFC 7009: revoking a refresh token ends its family; unknown tokens are not an error. */
  async revoke(refreshToken: string): Promise<void> {
    const stored = await this.refreshTokens.findByHash(hashToken(refreshToken));
    if (stored) await this.refreshTokens.revokeFamily(this.db.manager, stored.familyId);
  }

  private async refuseReuse(familyId: string): Promise<never> {
    await this.refreshTokens.revokeFamily(this.db.manager, familyId);
    throw OAuthError.invalidGrant();
  }

  private grantable(requested: string[], held: string[]): string[] {
    if (requested.length === 0) return held;
    const granted = requested.filter((scope) => held.includes(scope));
    if (granted.length === 0) throw OAuthError.invalidScope();
    return granted;
  }

  /** Signs an access token and stores a new refresh token of `familyId`, in `tx`. */
  private async issue(
    tx: EntityManager,
    user: User,
    scopes: string[],
    familyId: string,
  ): Promise<TokenResponse> {
    const { kid, key } = await this.keys.signingKey();
    const expiresIn = Math.floor(this.config.ACCESS_TOKEN_TTL / 1000);
    const scope = scopes.join(' ');
    const accessToken = await new SignJWT({ scope })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'at+jwt' })
      .setSubject(user.id)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${expiresIn}s`)
      .setJti(randomUUID())
      .sign(key);
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert(tx, {
      tokenHash: hashToken(refreshToken),
      familyId,
      userId: user.id,
      scope,
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL),
    });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: expiresIn,
      refresh_token: refreshToken,
      scope,
    };
  }
}
