import { Body, Controller, Get, Module, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { ConflictError, HealthRegistryService } from '../src';
import { createServiceApp } from '../src/testing';

class CreateThingDto {
  @IsString() name: string;
  @IsInt() @Min(0) @Max(10) size: number;
}

@Controller('things')
class ThingsController {
  @Post() create(@Body() dto: CreateThingDto) {
    if (dto.name === 'taken') throw new ConflictError('THING.ALREADY_EXISTS', 'That name is taken.');
    return dto;
  }
  @Get(':id') get(@Param('id', ParseUUIDPipe) id: string) {
    return { id };
  }
  @Get('boom/now') boom() {
    throw new Error('secret internal detail');
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('bootstrapService', () => {
  let app: NestFastifyApplication;
  let healthy = true;

  beforeAll(async () => {
    app = await createServiceApp(ThingsModule, {
      name: 'things',
      port: 0,
      logLevel: 'silent',
      bodyLimitBytes: 1024,
    });
    app.get(HealthRegistryService).register({
      name: 'database',
      critical: true,
      check: async () => {
        if (!healthy) throw new Error('db down');
      },
    });
    app.get(HealthRegistryService).register({
      name: 'cache',
      critical: false,
      check: async () => {
        throw new Error('cache away');
      },
    });
  });
  afterAll(() => app.close());

  it('lists every refused field as problem+json', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 5, size: 11, extra: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['extra', 'name', 'size']);
  });

  it('maps a domain error to its status and stable code', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'taken', size: 1 } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 409, code: 'THING.ALREADY_EXISTS', title: 'Conflict' });
  });

  it('hides unexpected errors behind a generic 500 without a stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/boom/now' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internal detail');
    expect(res.body).not.toContain('at ');
  });

  it('answers unknown routes, bad ids, bad JSON and oversized bodies with 4xx problems', async () => {
    const cases = [
      await app.inject({ method: 'GET', url: '/nowhere' }),
      await app.inject({ method: 'GET', url: '/things/not-a-uuid' }),
      await app.inject({
        method: 'POST',
        url: '/things',
        headers: { 'content-type': 'application/json' },
        payload: '{"name":',
      }),
      await app.inject({ method: 'POST', url: '/things', payload: { name: 'x'.repeat(2000), size: 1 } }),
    ];
    expect(cases.map((r) => r.statusCode)).toEqual([404, 400, 400, 413]);
    for (const res of cases) expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('keeps a well-formed request id and replaces a malformed one', async () => {
    const kept = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'abc.DEF-1_2' },
    });
    expect(kept.headers['x-request-id']).toBe('abc.DEF-1_2');
    const replaced = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'bad id\u0001' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is ready while a non-critical dependency is away, and not ready without a critical one', async () => {
    const degraded = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(degraded.statusCode).toBe(200);
    expect(degraded.json()).toMatchObject({ status: 'degraded', checks: { cache: { status: 'down' } } });
    healthy = false;
    const down = await app.inject({ method: 'GET', url: '/health/ready' });
    healthy = true;
    expect(down.statusCode).toBe(503);
  });

  it('exports its readiness as health_ready, 1 while ready and 0 without a critical dependency', async () => {
    const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(await scrape()).toMatch(/^health_ready\{[^}]*\} 1$/m);
    healthy = false;
    const whileDown = await scrape();
    healthy = true;
    expect(whileDown).toMatch(/^health_ready\{[^}]*\} 0$/m);
  });

  it('labels request durations with the route template, never the raw id', async () => {
    await app.inject({ method: 'GET', url: '/things/7d1f5a2e-1b1c-4c55-9a0e-2f4a3b6c8d9e' });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('route="/things/:id"');
    expect(metrics).not.toContain('7d1f5a2e');
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });

  it('serves its OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.json().paths['/things']).toBeDefined();
  });

  // helmet's defaults, as @fastify/helmet sent them before the headers were resolved once at start.
  const SECURITY_HEADERS = {
    'content-security-policy':
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';" +
      "frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';" +
      "script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
  const NOT_SECURITY_HEADERS = ['content-type', 'content-length', 'date', 'connection', 'x-request-id'];

  it.each([
    ['an answer', 'GET', '/things/7d1f5a2e-1b1c-4c55-9a0e-2f4a3b6c8d9e', 200],
    ['a validation problem', 'GET', '/things/not-a-uuid', 400],
    ['an unknown route', 'GET', '/nowhere', 404],
    ['an unexpected error', 'GET', '/things/boom/now', 500],
    ['a probe', 'GET', '/health/live', 200],
  ] as const)('sends exactly the security headers on %s', async (_case, method, url, status) => {
    const res = await app.inject({ method, url });
    expect(res.statusCode).toBe(status);
    const security = Object.fromEntries(
      Object.entries(res.headers).filter(([name]) => !NOT_SECURITY_HEADERS.includes(name)),
    );
    expect(security).toEqual(SECURITY_HEADERS);
  });
});
