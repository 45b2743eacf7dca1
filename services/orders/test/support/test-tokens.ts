import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface TestTokenIssuer {
  /** Stands in for the users service: serves `/.well-known/jwks.json`. */
  usersUrl: string;
  issuer: string;
  audience: string;
  /** An access token as the users service mints them (Ed25519, `at+jwt`, `kid`). */
  token(scopes: string[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestTokenIssuer(
  issuer = 'http://test.local',
  audience = 'shop',
): Promise<TestTokenIssuer> {
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
      new SignJWT({ scope: scopes.join(' ') })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomUUID())
        .sign(privateKey),
    close: () => closeServer(server),
  };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
