import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';

export const ISSUER = 'http://gateway.test';
export const AUDIENCE = 'shop';

export interface TokenOptions {
  sub?: string;
  scope?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  issuer?: string;
}

/** Signs access tokens the way the users service does (EdDSA, `at+jwt`, a `kid`), for fake users services. */
export class TokenMinter {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async create(kid = randomUUID()): Promise<TokenMinter> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    return new TokenMinter(privateKey, { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' });
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async token(options: TokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: options.scope ?? 'items:read' })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.publicJwk.kid, typ: 'at+jwt' })
      .setSubject(options.sub ?? randomUUID())
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now - 1)
      .setExpirationTime(now + (options.expiresIn ?? 600))
      .setJti(randomUUID())
      .sign(this.privateKey);
  }
}
