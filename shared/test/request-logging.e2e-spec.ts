import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Body, Controller, Get, Logger, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { UnavailableError } from '../src/errors/domain.errors';
import { createServiceApp } from '../src/testing';

class NoteDto {
  @IsString() text: string;
}

@Controller('notes')
class NotesController {
  private readonly logger = new Logger('Notes');

  @Get('later')
  async later() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.logger.log('answered after a timer');
    return { ok: true };
  }

  @Post()
  create(@Body() dto: NoteDto) {
    this.logger.log('note received');
    return dto;
  }

  @Get('boom')
  boom() {
    throw new Error('broken on purpose');
  }

  @Get('away')
  away() {
    const error = new UnavailableError('NOTES.STORE_AWAY', 'The note store is away.', 5);
    error.cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    throw error;
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

type Line = Record<string, unknown> & { level: number; msg: string; requestId?: string };

describe('request logging', () => {
  let app: NestFastifyApplication;
  const lines: Line[] = [];
  const linesOf = (requestId: string) => lines.filter((line) => line.requestId === requestId);
  const accessLineOf = (requestId: string) =>
    linesOf(requestId).find((line) => line.msg === 'request completed' || line.msg === 'request errored');

  beforeAll(async () => {
    const logStream = { write: (line: string) => void lines.push(JSON.parse(line) as Line) };
    // debug, so that the quieter lines of polls are written too and can be checked.
    app = await createServiceApp(NotesModule, { name: 'notes', port: 0, logLevel: 'debug', logStream });
  });
  afterAll(() => app.close());

  const get = (url: string, requestId: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { 'x-request-id': requestId, ...headers } });

  it('writes one info access line per API request, with its request id and nothing of its headers', async () => {
    const res = await get('/notes/later', 'access-1', {
      authorization: 'Bearer secret-token-value',
      cookie: 'session=secret-cookie-value',
    });
    expect(res.statusCode).toBe(200);
    const access = linesOf('access-1').filter((line) => line.msg === 'request completed');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: 30,
      service: 'notes',
      req: { id: 'access-1', method: 'GET', url: '/notes/later' },
      res: { statusCode: 200 },
    });
    expect(typeof access[0].responseTime).toBe('number');
    const output = JSON.stringify(lines);
    expect(output).not.toContain('secret-token-value');
    expect(output).not.toContain('secret-cookie-value');
  });

  it("tags the handler's own lines with the request id, after an await and after reading a body", async () => {
    await get('/notes/later', 'timer-1');
    await app.inject({
      method: 'POST',
      url: '/notes',
      payload: { text: 'hello' },
      headers: { 'x-request-id': 'body-1' },
    });
    expect(linesOf('timer-1').map((line) => line.msg)).toContain('answered after a timer');
    expect(linesOf('body-1').map((line) => line.msg)).toContain('note received');
    // Lines written outside any request carry none.
    const startup = lines.find((line) => line.msg.includes('Mapped {/notes/later, GET}'));
    expect(startup).toBeDefined();
    expect(startup?.requestId).toBeUndefined();
  });

  it('logs an unmatched route and a failure at info, the failure with its error line', async () => {
    await get('/nowhere', 'missing-1');
    await get('/notes/boom', 'boom-1');
    expect(accessLineOf('missing-1')).toMatchObject({ level: 30, res: { statusCode: 404 } });
    expect(accessLineOf('boom-1')).toMatchObject({
      level: 30,
      msg: 'request errored',
      res: { statusCode: 500 },
    });
    const error = linesOf('boom-1').find((line) => line.msg === 'Unhandled error');
    expect(error).toMatchObject({ level: 50, err: { message: 'broken on purpose' } });
  });

  it('logs an expected 5xx (a dependency away) once at warn with its cause and no stack', async () => {
    const res = await get('/notes/away', 'away-1');
    expect(res.statusCode).toBe(503);
    const warned = linesOf('away-1').filter((line) => line.level >= 40);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 40, code: 'NOTES.STORE_AWAY' });
    expect(warned[0].cause).toContain('ECONNREFUSED');
    expect(JSON.stringify(warned[0])).not.toContain('at ');
  });

  it('logs health, metrics and document polls at debug, and still counts them', async () => {
    const polls = ['/health/live', '/health/ready', '/metrics', '/openapi.json'];
    for (const [index, url] of polls.entries())
      expect((await get(url, `poll-${index}`)).statusCode).toBe(200);
    for (const index of polls.keys()) expect(accessLineOf(`poll-${index}`)).toMatchObject({ level: 20 });

    const metrics = (await get('/metrics', 'scrape')).body;
    for (const route of polls) {
      expect(metrics).toMatch(new RegExp(`http_request_duration_seconds_count\\{[^}]*route="${route}"`));
    }
  });

  it('writes every buffered line before the process exits on SIGTERM', async () => {
    const fixture = path.join(__dirname, 'fixtures', 'logging-shutdown.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [fixture], { timeout: 20_000 });
    const written = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    const answered = written.filter((line) => line.msg === 'request completed').map((line) => line.requestId);
    expect(answered.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `flush-${i}`).sort());
    // Logged by the last shutdown hook, just before the process exits.
    expect(written.at(-1)?.msg).toBe('last words');
  });
});
