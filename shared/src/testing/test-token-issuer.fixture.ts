import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

export interface TestTokenIssuer {
  /** Base URL standing in for the users service: it serves `/.well-known/jwks.json`. */
  usersUrl: string;
  issuer: string;
  audience: string;
  /** A signed access token, as the users service mints them, for user `sub` (a fresh UUID by default). */
  token(scopes: string[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Mints access tokens the way the users service does (Ed25519, `at+jwt`,
 * `kid`), and serves the public key as a JWKS on a local port, so a service
 * under test verifies them over HTTP exactly as it does in production.
 */
export async function startTestTokenIssuer(
  options: { issuer?: string; audience?: string } = {},
): Promise<TestTokenIssuer> {
  const { issuer = 'http://test.local', audience = 'shop' } = options;
  const kid = randomUUID();
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] });

  const server = createServer((request, response) => {
    const found = request.url === '/.well-known/jwks.json';
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(found ? jwks : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    usersUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    issuer,
    audience,
    token: (scopes, sub = randomUUID()) =>
      sign(privateKey, kid, { sub, scope: scopes.join(' '), iss: issuer, aud: audience }),
    close: () => closeServer(server),
  };
}

function sign(key: CryptoKey, kid: string, claims: { sub: string; scope: string; iss: string; aud: string }) {
  return new SignJWT({ scope: claims.scope })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(key);
}

/** Closes an HTTP server, ending kept-alive connections instead of waiting for them. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
