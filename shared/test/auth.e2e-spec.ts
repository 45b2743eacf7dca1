import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  base64url,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import {
  AccessTokenVerifierService,
  InvalidTokenError,
  SigningKeysUnavailableError,
  type AccessTokenVerifierOptions,
  type InvalidTokenReason,
} from '../src/auth';
import { VerifiedTokenStore } from '../src/auth/verified-token.store';

const ISSUER = 'http://users.test';
const AUDIENCE = 'shop';
const USER_ID = '7d1f5a2e-1b1c-4c55-9a0e-2f4a3b6c8d9e';

interface SigningKey {
  kid: string;
  alg: 'EdDSA' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function signingKey(kid: string, alg: SigningKey['alg'] = 'EdDSA'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

interface MintOptions {
  claims?: JWTPayload;
  header?: Record<string, unknown>;
  /** Seconds from now. */
  expiresIn?: number;
}

/** Mints a token the way the users service does; options bend it into a forgery. */
function mint(
  key: SigningKey,
  { claims = {}, header = {}, expiresIn = 300 }: MintOptions = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: USER_ID,
    scope: 'items:read orders:read',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + expiresIn,
    jti: randomUUID(),
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey);
}

/** The users service's JWKS endpoint, counting how often it is asked. */
class JwksServer {
  keys: JWK[] = [];
  requests = 0;
  status = 200;
  private readonly server: Server = createServer((_request, response) => {
    this.requests += 1;
    response.writeHead(this.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: this.keys }));
  });

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }
  start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Fakes only the clock, so HTTP and jose's fetch timeout keep real timers. */
function fakeClock(): { advanceSec: (seconds: number) => void } {
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
  return { advanceSec: (seconds) => jest.setSystemTime(Date.now() + seconds * 1000) };
}

async function reasonOf(promise: Promise<unknown>): Promise<InvalidTokenReason> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as InvalidTokenError).reason;
}

describe('AccessTokenVerifier', () => {
  const jwks = new JwksServer();
  let key: SigningKey;
  let verifier: AccessTokenVerifierService;

  const newVerifier = (options: Partial<AccessTokenVerifierOptions> = {}) =>
    new AccessTokenVerifierService({
      jwksUrl: jwks.url,
      issuer: ISSUER,
      audience: AUDIENCE,
      ...options,
    } as AccessTokenVerifierOptions);

  beforeAll(async () => {
    await jwks.start();
    key = await signingKey('key-1');
  });
  afterAll(() => jwks.stop());
  beforeEach(() => {
    jwks.keys = [key.publicJwk];
    jwks.requests = 0;
    jwks.status = 200;
    verifier = newVerifier();
  });
  afterEach(() => jest.useRealTimers());

  describe('accepts', () => {
    it('accepts a valid EdDSA token and maps its claims', async () => {
      const token = await mint(key, { claims: { jti: 'jti-1' } });
      const claims = await verifier.verify(token);
      expect(claims).toEqual({
        sub: USER_ID,
        scopes: ['items:read', 'orders:read'],
        jti: 'jti-1',
        exp: expect.any(Number),
        iat: expect.any(Number),
      });
      expect(claims.exp - claims.iat).toBe(300);
    });

    it('accepts an ES256 token and an audience given as an array', async () => {
      const es = await signingKey('key-es', 'ES256');
      jwks.keys.push(es.publicJwk);
      const claims = await verifier.verify(await mint(es, { claims: { aud: ['other', AUDIENCE] } }));
      expect(claims.sub).toBe(USER_ID);
    });

    it('fetches the key set lazily, once, for many tokens', async () => {
      expect(jwks.requests).toBe(0);
      for (let i = 0; i < 5; i++) await verifier.verify(await mint(key));
      expect(jwks.requests).toBe(1);
    });
  });

  describe('refuses forgeries', () => {
    it('refuses a token with alg none', async () => {
      const encode = (part: object) => base64url.encode(JSON.stringify(part));
      const valid = await mint(key);
      const header = encode({ alg: 'none', kid: key.kid, typ: 'at+jwt' });
      const token = `${header}.${valid.split('.')[1]}.`;
      expect(await reasonOf(verifier.verify(token))).toBe('algorithm_not_allowed');
    });

    it('refuses an HS256 token signed with the public key as the secret', async () => {
      const secrets = [
        base64url.decode(key.publicJwk.x!),
        new TextEncoder().encode(JSON.stringify(key.publicJwk)),
      ];
      for (const secret of secrets) {
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({
          sub: USER_ID,
          scope: 'users:write',
          iss: ISSUER,
          aud: AUDIENCE,
          iat: now,
          exp: now + 300,
          jti: 'x',
        })
          .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' })
          .sign(secret);
        expect(await reasonOf(verifier.verify(token))).toBe('algorithm_not_allowed');
      }
      expect(jwks.requests).toBe(0);
    });

    it('refuses a token whose payload was changed after signing', async () => {
      const [header, payload, signature] = (await mint(key)).split('.');
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
      const elevated = base64url.encode(JSON.stringify({ ...claims, scope: 'users:write' }));
      expect(await reasonOf(verifier.verify(`${header}.${elevated}.${signature}`))).toBe('bad_signature');
    });

    it('refuses a token signed by another key that claims a known kid', async () => {
      const impostor = await signingKey('key-1');
      expect(await reasonOf(verifier.verify(await mint(impostor)))).toBe('bad_signature');
    });

    it('refuses malformed and oversized tokens without fetching keys', async () => {
      for (const token of ['', 'abc', 'a.b.c', 'a'.repeat(5000)]) {
        expect(await reasonOf(verifier.verify(token))).toBe('malformed');
      }
      expect(jwks.requests).toBe(0);
    });

    it('never echoes the token in its error', async () => {
      const token = await mint(key, { claims: { aud: 'elsewhere' } });
      const error = await verifier.verify(token).catch((e: Error) => e);
      expect(
        JSON.stringify({ message: (error as Error).message, reason: (error as InvalidTokenError).reason }),
      ).not.toContain(token.split('.')[1]);
    });
  });

  describe('refuses tokens not meant for us', () => {
    it.each<[string, MintOptions, InvalidTokenReason]>([
      ['that has expired', { expiresIn: -60 }, 'expired'],
      ['meant for another audience', { claims: { aud: 'other' } }, 'wrong_audience'],
      ['from another issuer', { claims: { iss: 'http://evil.test' } }, 'wrong_issuer'],
      ['typed as a plain JWT', { header: { typ: 'JWT' } }, 'wrong_type'],
      ['without a typ', { header: { typ: undefined } }, 'wrong_type'],
      ['without a jti', { claims: { jti: undefined } }, 'missing_claim'],
      ['without a scope', { claims: { scope: undefined } }, 'missing_claim'],
      [
        'with a scope that is not a string',
        { claims: { scope: ['users:write'] as unknown as string } },
        'invalid_claim',
      ],
      ['issued in the future', { claims: { iat: Math.floor(Date.now() / 1000) + 3600 } }, 'invalid_claim'],
    ])('refuses a token %s', async (_name, options, reason) => {
      expect(await reasonOf(verifier.verify(await mint(key, options)))).toBe(reason);
    });

    it('tolerates a few seconds of clock skew on exp', async () => {
      await expect(verifier.verify(await mint(key, { expiresIn: -2 }))).resolves.toBeDefined();
    });

    it('refuses to be configured with a symmetric algorithm or none', () => {
      expect(() => newVerifier({ algorithms: ['EdDSA', 'HS256'] })).toThrow(TypeError);
      expect(() => newVerifier({ algorithms: ['none'] })).toThrow(TypeError);
    });
  });

  describe('fetches keys with a cooldown', () => {
    it('hits the JWKS endpoint at most once per cooldown for many unknown kids', async () => {
      const clock = fakeClock();
      await verifier.verify(await mint(key));
      expect(jwks.requests).toBe(1);
      clock.advanceSec(31);

      const stranger = await signingKey('unknown');
      const concurrent = await Promise.all(
        Array.from({ length: 50 }, async () => reasonOf(verifier.verify(await mint(stranger)))),
      );
      for (let i = 0; i < 50; i++) concurrent.push(await reasonOf(verifier.verify(await mint(stranger))));

      expect(new Set(concurrent)).toEqual(new Set(['unknown_key']));
      expect(jwks.requests).toBe(2);
    });

    it('refuses an unknown kid on the first call after a single fetch', async () => {
      const stranger = await signingKey('unknown');
      expect(await reasonOf(verifier.verify(await mint(stranger)))).toBe('unknown_key');
      expect(await reasonOf(verifier.verify(await mint(stranger)))).toBe('unknown_key');
      expect(jwks.requests).toBe(1);
    });

    it('picks up a rotated key once the cooldown has passed', async () => {
      const clock = fakeClock();
      await verifier.verify(await mint(key));
      const next = await signingKey('key-2');
      jwks.keys = [key.publicJwk, next.publicJwk];

      expect(await reasonOf(verifier.verify(await mint(next)))).toBe('unknown_key');
      clock.advanceSec(31);
      await expect(verifier.verify(await mint(next))).resolves.toMatchObject({ sub: USER_ID });
      expect(jwks.requests).toBe(2);
    });

    it('fetches the key set through the fetch it is given', async () => {
      const fetchSpy = jest.fn((url: string | URL | Request, init?: RequestInit) => fetch(url, init));
      await newVerifier({ fetch: fetchSpy }).verify(await mint(key));
      expect(fetchSpy).toHaveBeenCalledWith(jwks.url, expect.objectContaining({ method: 'GET' }));
    });

    it('reports unreachable keys as unavailable, not as a bad token', async () => {
      jwks.status = 500;
      await expect(verifier.verify(await mint(key))).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    });
  });

  describe('caches verified tokens', () => {
    /** A verifier with a local key source, so the test can count signature checks. */
    const localVerifier = (options: Partial<AccessTokenVerifierOptions> = {}) => {
      const keySource = jest.fn(async () => publicKey);
      const local = new AccessTokenVerifierService({
        keySource,
        issuer: ISSUER,
        audience: AUDIENCE,
        ...options,
      } as AccessTokenVerifierOptions);
      return { local, keySource };
    };
    let publicKey: CryptoKey;
    beforeAll(async () => {
      publicKey = (await importJWK(key.publicJwk, key.alg)) as CryptoKey;
    });

    it('checks a token signature once and answers repeats from the cache', async () => {
      const { local, keySource } = localVerifier();
      const token = await mint(key);
      const first = await local.verify(token);
      expect(await local.verify(token)).toBe(first);
      expect(keySource).toHaveBeenCalledTimes(1);
    });

    it('never returns cached claims at or after the token expiry', async () => {
      const clock = fakeClock();
      const { local, keySource } = localVerifier({ clockToleranceSec: 0 });
      const token = await mint(key, { expiresIn: 60 });
      await local.verify(token);
      clock.advanceSec(59);
      await local.verify(token);
      expect(keySource).toHaveBeenCalledTimes(1);
      clock.advanceSec(1);
      expect(await reasonOf(local.verify(token))).toBe('expired');
    });

    it('honours a token at most 15 minutes after its iat, whatever its exp says', async () => {
      const clock = fakeClock();
      const { local } = localVerifier({ clockToleranceSec: 0 });
      const token = await mint(key, { expiresIn: 3600 });
      await local.verify(token);
      clock.advanceSec(901);
      expect(await reasonOf(local.verify(token))).toBe('expired');
    });

    it('asks the revocation hook on every call, cached or not', async () => {
      const revoked = new Set<string>();
      const isRevoked = jest.fn((claims: { sub: string }) => revoked.has(claims.sub));
      const { local, keySource } = localVerifier({ isRevoked });
      const token = await mint(key);
      await local.verify(token);
      revoked.add(USER_ID);
      expect(await reasonOf(local.verify(token))).toBe('revoked');
      expect(keySource).toHaveBeenCalledTimes(1);
      expect(isRevoked).toHaveBeenCalledTimes(2);
    });

    it('forgets the least recently used token when full', () => {
      const cache = new VerifiedTokenStore<string>(2);
      cache.set('a', 'A', Infinity);
      cache.set('b', 'B', Infinity);
      cache.get('a', 0);
      cache.set('c', 'C', Infinity);
      expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual(['A', undefined, 'C']);
      expect(cache.size).toBe(2);
    });

    it('keeps the order of use when the same token comes again and again', () => {
      const cache = new VerifiedTokenStore<string>(2);
      cache.set('a', 'A', Infinity);
      cache.set('b', 'B', Infinity);
      for (let i = 0; i < 3; i++) cache.get('b', 0);
      cache.get('a', 0);
      cache.get('a', 0);
      cache.set('c', 'C', Infinity);
      expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual(['A', undefined, 'C']);
    });

    it('forgets an expired token, also the most recently used one', () => {
      const cache = new VerifiedTokenStore<string>(2);
      cache.set('a', 'A', 1000);
      expect(cache.get('a', 999)).toBe('A');
      expect(cache.get('a', 1000)).toBeUndefined();
      expect(cache.size).toBe(0);
      cache.set('a', 'A2', 2000);
      expect(cache.get('a', 1500)).toBe('A2');
    });
  });
});
