import { Controller, Get, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { AuthModule, CurrentUser, hasScope, Public, Scopes, type AuthenticatedUser } from '../src/auth';
import { ProblemFilter } from '../src/errors';

const ISSUER = 'http://users.test';
const AUDIENCE = 'shop';
const USER_ID = '7d1f5a2e-1b1c-4c55-9a0e-2f4a3b6c8d9e';

@Controller('items')
class ItemsController {
  @Get()
  @Scopes('items:read')
  list(@CurrentUser() user: AuthenticatedUser) {
    return { id: user.id, scopes: user.scopes, token: user.token, canWrite: hasScope(user, 'items:write') };
  }

  @Post()
  @Scopes('items:read', 'items:write')
  create() {
    return { created: true };
  }

  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }
}

@Scopes('orders:read')
@Controller('orders')
class OrdersController {
  @Get()
  list() {
    return { listed: true };
  }
}

// Inherits the very handler of OrdersController.list, under other controller decorators.
@Public()
@Controller('open-orders')
class OpenOrdersController extends OrdersController {}

describe('JwtAuthGuard', () => {
  let app: NestFastifyApplication;
  let privateKey: CryptoKey;
  let keysDown = false;

  const mint = (scope: string, kid = 'key-1') => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      sub: USER_ID,
      scope,
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .sign(privateKey);
  };
  const get = (authorization?: string) =>
    app.inject({ method: 'GET', url: '/items', headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA');
    privateKey = pair.privateKey;
    const jwks = createLocalJWKSet({
      keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'EdDSA' }],
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        // The users service's way in: keys from memory, no HTTP.
        AuthModule.forRoot({
          keySource: (header) => (keysDown ? Promise.reject(new Error('keys down')) : jwks(header)),
          issuer: ISSUER,
          audience: AUDIENCE,
        }),
      ],
      controllers: [ItemsController, OpenOrdersController, OrdersController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new ProblemFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const res = await get();
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({
      code: 'AUTH.TOKEN_MISSING',
      type: 'urn:shop:problem:AUTH.TOKEN_MISSING',
    });
  });

  it('answers 401 for a malformed header, another scheme, or a bad token', async () => {
    for (const authorization of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', 'Bearer a b']) {
      const res = await get(authorization);
      expect(res.statusCode).toBe(401);
    }
    const res = await get('Bearer x.y.z');
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="malformed"',
    );
    expect(res.json().code).toBe('AUTH.TOKEN_INVALID');
    expect(res.body).not.toContain('x.y.z');
  });

  it('answers 401 for a token whose kid it does not know', async () => {
    const res = await get(`Bearer ${await mint('items:read', 'key-unknown')}`);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('unknown_key');
  });

  it('answers 403 with the scopes it needs when one of them is missing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/items',
      headers: { authorization: `Bearer ${await mint('items:read')}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", scope="items:read items:write"',
    );
    expect(res.json().code).toBe('AUTH.SCOPE_MISSING');
  });

  it('lets a token with every listed scope through and hands the user to the handler', async () => {
    const token = await mint('items:read orders:read');
    const res = await get(`bearer ${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: USER_ID,
      scopes: ['items:read', 'orders:read'],
      token,
      canWrite: false,
    });

    const writer = await app.inject({
      method: 'POST',
      url: '/items',
      headers: { authorization: `Bearer ${await mint('items:write items:read')}` },
    });
    expect(writer.statusCode).toBe(201);
  });

  it('keeps a @Public route open without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/items/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it("applies a controller's decorators to its routes, also to a handler another controller inherits", async () => {
    const open = await app.inject({ method: 'GET', url: '/open-orders' });
    expect(open.statusCode).toBe(200);
    const closed = await app.inject({ method: 'GET', url: '/orders' });
    expect(closed.statusCode).toBe(401);
    const reader = await app.inject({
      method: 'GET',
      url: '/orders',
      headers: { authorization: `Bearer ${await mint('items:read')}` },
    });
    expect(reader.statusCode).toBe(403);
    const allowed = await app.inject({
      method: 'GET',
      url: '/orders',
      headers: { authorization: `Bearer ${await mint('orders:read')}` },
    });
    expect(allowed.json()).toEqual({ listed: true });
  });

  it('answers 503, not 401, when the signing keys cannot be loaded', async () => {
    keysDown = true;
    const res = await get(`Bearer ${await mint('items:read')}`);
    keysDown = false;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'AUTH.KEYS_UNAVAILABLE' });
  });
});
